module.exports = require('../../../tools/jest/preset.cjs')('server-backup', __dirname, { database: true });
