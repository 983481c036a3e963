-- Headless Neovim as a real client of `prefectc lsp`: opens a file with a
-- known error, waits for the server's diagnostics, hovers a field, and
-- writes what the editor got to $OUT, one line each:
--   CODE:LINE:COLUMN:MESSAGE   (1-based, message lines joined with " | ")
--   hover:TEXT
-- Run by run-nvim.sh. Works with Neovim 0.7 (Debian bookworm), which has
-- vim.lsp.start_client, and with 0.8+ (vim.lsp.start).
local bin, fixture, out = os.getenv("PREFECTC"), os.getenv("FIXTURE"), os.getenv("OUT")

local function run()
  vim.cmd("edit " .. vim.fn.fnameescape(fixture))
  local buf = vim.api.nvim_get_current_buf()
  local config = {
    name = "prefectc",
    cmd = { bin, "lsp" },
    root_dir = vim.fn.fnamemodify(fixture, ":p:h"),
  }
  local client_id
  if vim.lsp.start then
    client_id = vim.lsp.start(config)
  else
    client_id = vim.lsp.start_client(config)
    vim.lsp.buf_attach_client(buf, client_id)
  end
  assert(client_id, "the server did not start")
  local got = vim.wait(20000, function()
    return #vim.diagnostic.get(buf) > 0
  end, 50)
  assert(got, "no diagnostics within 20 s")

  local lines = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    local code = d.code or lsp.code or ""
    local message = d.message:gsub("\n", " | ")
    table.insert(lines, string.format("%s:%d:%d:%s", code, d.lnum + 1, d.col + 1, message))
  end

  -- Hover on `replicas` would be the fix; hover on `api` (line 17, col 3).
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = 16, character = 3 },
  }
  local replies = vim.lsp.buf_request_sync(buf, "textDocument/hover", params, 10000) or {}
  for _, reply in pairs(replies) do
    local contents = reply.result and reply.result.contents
    if contents then
      table.insert(lines, "hover:" .. (contents.value or ""):gsub("\n", " | "))
    end
  end

  local f = assert(io.open(out, "w"))
  f:write(table.concat(lines, "\n") .. "\n")
  f:close()
  vim.lsp.stop_client(client_id)
  vim.wait(5000, function()
    return vim.lsp.client_is_stopped(client_id)
  end, 50)
end

local ok, err = pcall(run)
if not ok then
  io.stderr:write("nvim.lua: " .. tostring(err) .. "\n")
  vim.cmd("cquit 1")
end
vim.cmd("qall!")
