"""Carnets and bases de connaissances: their notes, categories, filing and the graph of their
links. Routes and the command line call `service`."""
