-- Turns pandoc's reading of MediaWiki wikitext into Praxis Markdown (see convert.py, which runs
-- pandoc with this filter). What it does, in order:
--   1. tables: links in cells written with an escaped pipe, tables a pipe table cannot hold
--      (spans, lists or several paragraphs in a cell, no header) flattened, and reported;
--   2. internal links ([[Page|label]], class "wikilink") written back as wikilinks;
--   3. definition lists as "**term** : definition" items, ":" indentation as block quotes;
--   4. code blocks always fenced, lines of leading-space preformatted text as a code block;
--   5. <math> as inline code (Praxis renders no TeX).
-- A problem is reported to convert.py as a line "<marker>PROBLEM<kind>", which it removes.

local marker = ""

local function problem(kind)
  return pandoc.RawBlock("markdown", marker .. "PROBLEM" .. kind)
end

local function wikilink(link, pipe)
  if not link.classes:includes("wikilink") then
    return nil
  end
  local target = link.target:gsub("_", " ")
  -- A bracket would end the wikilink early; a label is plain text in Praxis anyway.
  local label = pandoc.utils.stringify(link.content):gsub("[%[%]]", ""):gsub("|", pipe)
  if label == "" or label == target then
    return pandoc.RawInline("markdown", "[[" .. target .. "]]")
  end
  return pandoc.RawInline("markdown", "[[" .. target .. pipe .. label .. "]]")
end

-- A cell a pipe table can hold: no span, at most one paragraph of inline text.
local function simple_cell(cell)
  if cell.row_span ~= 1 or cell.col_span ~= 1 then
    return false
  end
  local blocks = cell.contents
  return #blocks == 0 or (#blocks == 1 and (blocks[1].t == "Plain" or blocks[1].t == "Para"))
end

local function all_rows(tbl)
  local rows = pandoc.List()
  rows:extend(tbl.head.rows)
  for _, body in ipairs(tbl.bodies) do
    rows:extend(body.head)
    rows:extend(body.body)
  end
  rows:extend(tbl.foot.rows)
  return rows
end

-- A cell's blocks as one line of text: paragraphs, list items and nested cells separated by "; ".
local function inlines_of(blocks)
  local out = pandoc.Inlines({})
  local function add(inlines)
    if #out > 0 and #inlines > 0 then
      out:extend({ pandoc.Str(";"), pandoc.Space() })
    end
    out:extend(inlines)
  end
  for _, block in ipairs(blocks) do
    if block.t == "BulletList" or block.t == "OrderedList" then
      for _, item in ipairs(block.content) do
        add(inlines_of(item))
      end
    elseif block.t == "DefinitionList" then
      for _, item in ipairs(block.content) do
        add(item[1])
        for _, definition in ipairs(item[2]) do
          add(inlines_of(definition))
        end
      end
    elseif block.t == "Table" then
      for _, row in ipairs(all_rows(block)) do
        for _, cell in ipairs(row.cells) do
          add(inlines_of(cell.contents))
        end
      end
    else
      add(pandoc.utils.blocks_to_inlines({ block }))
    end
  end
  return out
end

local function flat_cell(cell)
  -- A line break would make the writer fall back to an HTML table.
  local inlines = inlines_of(cell.contents):walk({
    LineBreak = function()
      return pandoc.Space()
    end,
    SoftBreak = function()
      return pandoc.Space()
    end,
  })
  return pandoc.Cell({ pandoc.Plain(inlines) })
end

-- Every row on the same grid of columns: a cell spanning rows or columns leaves empty cells
-- where it spanned, as a pipe table has no spans.
local function flatten(tbl)
  local columns = #tbl.colspecs
  local pending = {}
  local function regrid(row)
    local cells = pandoc.List()
    local source, next_cell, column = row.cells, 1, 1
    while column <= columns do
      if (pending[column] or 0) > 0 then
        pending[column] = pending[column] - 1
        cells:insert(pandoc.Cell({}))
        column = column + 1
      elseif next_cell <= #source then
        local cell = source[next_cell]
        next_cell = next_cell + 1
        cells:insert(flat_cell(cell))
        for k = 0, cell.col_span - 1 do
          if column + k <= columns then
            if cell.row_span > 1 then
              pending[column + k] = cell.row_span - 1
            end
            if k > 0 then
              cells:insert(pandoc.Cell({}))
            end
          end
        end
        column = column + cell.col_span
      else
        cells:insert(pandoc.Cell({}))
        column = column + 1
      end
    end
    row.cells = cells
  end
  for _, row in ipairs(all_rows(tbl)) do
    regrid(row)
  end
end

local function table_filter(tbl)
  local reported = pandoc.Blocks({})
  tbl = tbl:walk({
    Link = function(link)
      return wikilink(link, "\\|")
    end,
    -- A line break (<br>) in a cell would make the writer give up the table.
    LineBreak = function()
      return pandoc.Space()
    end,
  })
  local simple = true
  for _, row in ipairs(all_rows(tbl)) do
    for _, cell in ipairs(row.cells) do
      simple = simple and simple_cell(cell)
    end
  end
  if not simple then
    flatten(tbl)
    reported:insert(problem("table"))
  end
  -- A pipe table needs a header row: an empty one rather than promoting a row of data.
  if #tbl.head.rows == 0 then
    local empty = pandoc.List()
    for _ = 1, #tbl.colspecs do
      empty:insert(pandoc.Cell({}))
    end
    tbl.head = pandoc.TableHead({ pandoc.Row(empty) })
  end
  local caption = pandoc.utils.blocks_to_inlines(tbl.caption.long)
  tbl.caption = pandoc.Caption()
  if #caption > 0 then
    reported:insert(pandoc.Para({ pandoc.Emph(caption) }))
  end
  reported:insert(tbl)
  return reported
end

local function fenced(text, lang)
  local fence = "```"
  while text:find(fence, 1, true) do
    fence = fence .. "`"
  end
  return pandoc.RawBlock("markdown", fence .. (lang or "") .. "\n" .. text .. "\n" .. fence)
end

-- Lines of leading-space preformatted text, which pandoc reads as inline code separated by
-- line breaks: one code block.
local function preformatted(block)
  local lines, current, breaks = {}, nil, 0
  for _, inline in ipairs(block.content) do
    if inline.t == "Code" and current == nil then
      -- pandoc keeps the spaces of such lines as no-break spaces
      current = inline.text:gsub("\u{A0}", " ")
    elseif inline.t == "LineBreak" then
      table.insert(lines, current or "")
      current = nil
      breaks = breaks + 1
    else
      return nil
    end
  end
  if breaks == 0 then
    return nil
  end
  if current ~= nil then
    table.insert(lines, current)
  end
  return fenced(table.concat(lines, "\n"))
end

local function definition_list(list)
  local out = pandoc.Blocks({})
  local items = pandoc.List()
  local function flush()
    if #items > 0 then
      out:insert(pandoc.BulletList(items))
      items = pandoc.List()
    end
  end
  for _, item in ipairs(list.content) do
    local term, definitions = item[1], item[2]
    local blocks = pandoc.Blocks({})
    for _, definition in ipairs(definitions) do
      blocks:extend(definition)
    end
    if #term == 0 then
      flush()
      if #blocks > 0 then
        out:insert(pandoc.BlockQuote(blocks))
      end
    elseif #blocks == 0 then
      flush()
      out:insert(pandoc.Para({ pandoc.Strong(term) }))
    else
      local head = pandoc.Inlines({ pandoc.Strong(term), pandoc.Space(), pandoc.Str(":") })
      if blocks[1].t == "Plain" or blocks[1].t == "Para" then
        head:insert(pandoc.Space())
        head:extend(blocks[1].content)
        blocks:remove(1)
      end
      local content = pandoc.Blocks({ pandoc.Plain(head) })
      content:extend(blocks)
      items:insert(content)
    end
  end
  flush()
  return out
end

return {
  {
    Meta = function(meta)
      marker = pandoc.utils.stringify(meta["praxis-marker"] or "")
    end,
  },
  { Table = table_filter },
  {
    Link = function(link)
      return wikilink(link, "|")
    end,
    Math = function(math)
      return pandoc.Code(math.text)
    end,
    CodeBlock = function(block)
      return fenced(block.text, block.classes[1])
    end,
    Para = preformatted,
    Plain = preformatted,
    DefinitionList = definition_list,
    -- What pandoc keeps of raw HTML (<center>, <div>, <references />): the writer keeps block tags.
    RawBlock = function(raw)
      if raw.format ~= "markdown" then
        return {}
      end
    end,
    RawInline = function(raw)
      if raw.format ~= "markdown" then
        return {}
      end
    end,
    HorizontalRule = function()
      return pandoc.RawBlock("markdown", "---")
    end,
  },
}
