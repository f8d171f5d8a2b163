"""Notes: writing and saving them, how they read, their revisions, links, fields and the directory
of organisations and terms. Routes and the command line call `service`."""
