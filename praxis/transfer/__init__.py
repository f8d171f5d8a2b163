"""Import and export of notes, carnets and bases as folders of Markdown files with front
matter. Routes and the command line call `service`."""
