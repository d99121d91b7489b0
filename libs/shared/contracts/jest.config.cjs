module.exports = require('../../../tools/jest/preset.cjs')('shared-contracts', __dirname, { database: false });
