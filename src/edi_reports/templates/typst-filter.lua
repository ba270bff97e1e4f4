-- edi-reports pandoc filter for the Typst PDF path.
-- * images keep their alternative text (pandoc's Typst writer drops it; PDF/UA needs it)
-- * the report title is the document's only level-1 heading: a body level-1 heading equal
--   to the title is dropped, any other is demoted to level 2 (as in the HTML page)
-- * callouts and table notes become report.typ's #edi-callout / #tablenotes blocks
-- * figures and tables are written here with pandoc's own Typst writer, tables aligned with
--   the text, so the PDF's body is the same Typst whichever renderer runs this filter
--   (Quarto runs it before it reads the document, `at: pre-ast`, so that it neither turns
--   figures, tables and callouts into its own floats nor drops a table's caption)
-- * narrative is text, not code: raw Typst/HTML/LaTeX and mathematics in the document are
--   shown as their text (first pass, before this filter adds its own Typst), links keep only
--   http(s), mailto and #anchor targets, and images only the report's own files
local title = ""

local function raw_inline(el)
  return pandoc.Str(el.text)
end

local function raw_block(el)
  return pandoc.CodeBlock(el.text)
end

local function math(el)
  return pandoc.Str(el.text)
end

local function safe_target(target)
  local t = target:lower()
  return t:match("^https?://%S+$") or t:match("^mailto:%S+$") or t:match("^#[%w%-_:.]+$")
end

local function link(el)
  if safe_target(el.target) then
    return el
  end
  return el.content
end

local function own_file(src)
  return src:match("^[%w%-_.]+%.svg$") or src:match("^[%w%-_.]+%.png$")
end

local function typst_string(s)
  s = s:gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("\n", " ")
  return '"' .. s .. '"'
end

function Meta(meta)
  if meta.edi_title then
    title = pandoc.utils.stringify(meta.edi_title)
  end
end

local function image(el)
  local alt = el.attributes["alt"] or pandoc.utils.stringify(el.caption)
  if not own_file(el.src) then
    return pandoc.Str(alt)
  end
  return pandoc.RawInline("typst",
    "#image(" .. typst_string(el.src) .. ", alt: " .. typst_string(alt) .. ", width: 100%)")
end

-- pandoc's smart quotes turn the heading's ' into a typographic one; compare without them
local function plain_quotes(s)
  return (s:gsub("\u{2018}", "'"):gsub("\u{2019}", "'"):gsub("\u{201C}", '"'):gsub("\u{201D}", '"'))
end

local function header(el)
  if el.level == 1 then
    if plain_quotes(pandoc.utils.stringify(el.content)) == plain_quotes(title) then
      return {}
    end
    el.level = 2
  end
  return el
end

local function div(el)
  if el.classes:includes("callout") then
    local kind = "note"
    for _, c in ipairs(el.classes) do
      local k = c:match("^callout%-(%w+)$")
      if k then kind = k end
    end
    local out = { pandoc.RawBlock("typst", "#edi-callout(kind: " .. typst_string(kind) .. ")[") }
    for _, b in ipairs(el.content) do table.insert(out, b) end
    table.insert(out, pandoc.RawBlock("typst", "]"))
    return out
  end
  if el.classes:includes("table-notes") or el.classes:includes("finding") then
    local fn = el.classes:includes("finding") and "finding" or "tablenotes"
    local out = { pandoc.RawBlock("typst", "#" .. fn .. "[") }
    for _, b in ipairs(el.content) do table.insert(out, b) end
    table.insert(out, pandoc.RawBlock("typst", "]"))
    return out
  end
  return el
end

local function as_typst(el)
  local typ = pandoc.write(pandoc.Pandoc({ el }), "typst", { wrap_text = "wrap-preserve" })
  -- pandoc centres every table; reports read better with tables aligned with the text
  typ = typ:gsub("align%(center%)%[#table%(", "align(left)[#table(")
  return pandoc.RawBlock("typst", typ)
end

-- the first pass walks the document's body only: its metadata holds the renderer's own
-- raw Typst (Quarto's header includes), which must stay Typst
local function body_as_text(doc)
  doc.blocks = doc.blocks:walk({ RawInline = raw_inline, RawBlock = raw_block, Math = math, Link = link })
  return doc
end

return {
  { Pandoc = body_as_text },
  { Meta = Meta },
  { Image = image, Header = header, Div = div },
  { Figure = as_typst, Table = as_typst },
}
