module.exports = require('../../../tools/jest/preset.cjs')('server-database', __dirname, { database: true });
