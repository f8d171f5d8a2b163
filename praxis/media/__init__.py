"""Files attached to notes: what their bytes are (`sniff`), where they are kept (`store`), and
what Pillow makes of images (`images`). No database here: the service in
`praxis.services.attachments` decides who may do what."""
