module.exports = require('../../../tools/jest/preset.cjs')('server-recordings', __dirname, { database: true });
