"""Conversation: a note's discussion, messages to its authors, the inbox and its notifications,
and the mail that carries them. Routes and the command line call `service`."""
