-- edi-reports pandoc filter for Quarto's Typst format.
-- * images keep their alternative text (PDF/UA needs it) and take the text width
-- * the report title is the document's only level-1 heading: a body level-1 heading equal
--   to the title is dropped, any other is demoted to level 2 (as in the HTML page)
-- * a chart's finding and a table's notes become edi.typ's #finding / #tablenotes blocks
-- * a table's caption is kept above it as edi.typ's #tablecaption (Quarto's Typst output
--   drops the caption of a table that is not cross-referenced)
local title = ""

local function typst_string(s)
  s = s:gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("\n", " ")
  return '"' .. s .. '"'
end

local function plain_quotes(s)
  return (s:gsub("\u{2018}", "'"):gsub("\u{2019}", "'"):gsub("\u{201C}", '"'):gsub("\u{201D}", '"'))
end

function Meta(meta)
  if meta["edi-title"] then
    title = pandoc.utils.stringify(meta["edi-title"])
  end
end

local function image(el)
  local alt = el.attributes["alt"] or pandoc.utils.stringify(el.caption)
  return pandoc.RawInline("typst",
    "#image(" .. typst_string(el.src) .. ", alt: " .. typst_string(alt) .. ", width: 100%)")
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
  if el.classes:includes("table-notes") or el.classes:includes("finding") then
    local fn = el.classes:includes("finding") and "finding" or "tablenotes"
    local out = { pandoc.RawBlock("typst", "#" .. fn .. "[") }
    for _, b in ipairs(el.content) do table.insert(out, b) end
    table.insert(out, pandoc.RawBlock("typst", "]"))
    return out
  end
  return el
end

local function tbl(el)
  local blocks = el.caption and el.caption.long or {}
  if #blocks == 0 then
    return el
  end
  local out = { pandoc.RawBlock("typst", "#tablecaption[") }
  for _, b in ipairs(blocks) do table.insert(out, b) end
  table.insert(out, pandoc.RawBlock("typst", "]"))
  el.caption = pandoc.Caption({})
  table.insert(out, el)
  return out
end

return {
  { Meta = Meta },
  { Image = image, Header = header, Div = div, Table = tbl },
}
