// Copies what tsc does not: node icons and codex (*.node.json) files, into dist/.
const fs = require('fs');
const path = require('path');
const { src, dest, parallel } = require('gulp');

function copyIcons() {
	return src('icons/**/*.svg', { encoding: false }).pipe(dest(path.resolve('dist', 'icons')));
}

function copyCodex() {
	return src('nodes/**/*.node.json').pipe(dest(path.resolve('dist', 'nodes')));
}

// A fresh dist/ each build, so no file of a removed module is ever packed.
exports.clean = async function clean() {
	fs.rmSync(path.resolve('dist'), { recursive: true, force: true });
};

exports['build:icons'] = parallel(copyIcons, copyCodex);
