module.exports = require('../../../tools/jest/preset.cjs')('server-core', __dirname, { database: false });
