module.exports = require('../../../tools/jest/preset.cjs')('server-media', __dirname, { database: false });
