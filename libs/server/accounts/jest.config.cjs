module.exports = require('../../../tools/jest/preset.cjs')('server-accounts', __dirname, { database: true });
