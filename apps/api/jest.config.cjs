module.exports = require('../../tools/jest/preset.cjs')('api', __dirname, { database: true });
