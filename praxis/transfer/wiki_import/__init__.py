"""A MediaWiki XML export (Special:Export, dumpBackup.php --full) imported as notes, with their
whole history. See docs/import-export.md for what becomes what, and why.

- A page of the main namespace becomes a note; each of its revisions a revision of the note, with
  its contributor as editor (a profile without login, made as an import makes profiles for the
  names its files give), its date and its summary. The note's authors are its contributors, most
  edits first (then the earliest first), at most MAX_AUTHORS.
- Contributors without a name: every IP editor is the one profile "Anonyme" (an address is not a
  name, is personal data, and is shared by many people), a contributor the wiki's administrators
  hid is the profile "Contributeur masqué". A hidden summary reads "(résumé masqué)"; a hidden
  text keeps the text before it.
- Wikitext becomes Markdown through `to_markdown_many`, every revision of many pages in one call;
  `[[Page]]` links are wikilinks, resolved by title when the note is shown.
- A redirect is an other name (alias) of the note it leads to, not a note.
- Categories are the note's keywords (tags): a note has up to 50, and a wiki's categories are as
  many as its authors made (a carnet's category lists hold 3 x 10): none is lost, each is shown,
  searchable and a filter of /notes/.
- Pages of other namespaces are counted per namespace, not imported.
- Importing the same export again: a page is recognised by its page id (import_source, root
  "mediawiki:<site name>"), each revision by its id (kept there too, "revision/<id>"): those not
  imported before are added, after whatever the note became meanwhile.
"""

from praxis.transfer.wiki_import.reading import count_pages, is_export
from praxis.transfer.wiki_import.writing import import_export

__all__ = ["count_pages", "import_export", "is_export"]
