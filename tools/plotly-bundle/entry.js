'use strict';
// The traces the Kaihua Belts dashboard draws: the map (choropleth, scattergeo, scatter text) and the charts
// (bar, scatter lines, scatterpolar).
var Plotly = require('plotly.js/lib/core');
Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/scatterpolar'),
    require('plotly.js/lib/scattergeo'),
    require('plotly.js/lib/choropleth'),
    require('plotly.js/lib/calendars'),
]);
module.exports = Plotly;
