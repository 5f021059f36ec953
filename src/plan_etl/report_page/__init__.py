"""The parts of the one-page HTML report (`plan_etl.html_report`): its view model, its SVG charts,
and the page template with its CSS and JS, shipped as package data and inlined into the page."""
