"""What the site publishes about what a reader may see: citations, Atom feeds, the sitemap and
the previews of link-sharing. Routes call `service`."""
