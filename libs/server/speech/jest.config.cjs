module.exports = require('../../../tools/jest/preset.cjs')('server-speech', __dirname, { database: false });
