module.exports = require('../../../tools/jest/preset.cjs')('server-storage', __dirname, { database: false });
