module.exports = require('../../../tools/jest/preset.cjs')('server-courses', __dirname, { database: false });
