"""People: accounts, API tokens, communities, co-authors, their invitations and edit requests.
Routes and the command line call `service`."""
