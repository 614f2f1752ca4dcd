// Copies what tsc does not: node icons and codex (*.node.json) files, into dist/.
const path = require('path');
const { src, dest, parallel } = require('gulp');

function copyIcons() {
	return src('icons/**/*.svg', { encoding: false }).pipe(dest(path.resolve('dist', 'icons')));
}

function copyCodex() {
	return src('nodes/**/*.node.json').pipe(dest(path.resolve('dist', 'nodes')));
}

exports['build:icons'] = parallel(copyIcons, copyCodex);
