"""Files attached to notes: what their bytes are (`sniff`), where they are kept (`store`), what
Pillow makes of images (`images`), and the service that decides who may attach, list and delete
them (`attachments`). Routes and the command line call `service`."""
