module.exports = require('../../../tools/jest/preset.cjs')('server-access', __dirname, { database: true });
