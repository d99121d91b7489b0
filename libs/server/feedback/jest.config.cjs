module.exports = require('../../../tools/jest/preset.cjs')('server-feedback', __dirname, { database: true });
