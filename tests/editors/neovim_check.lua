-- Drives a real headless Neovim against dl-lsp: configured as docs/editors.md says, open the
-- buggy file, read the diagnostics, hover, apply the LLM quick fix through a codeAction request
-- and apply_workspace_edit, wait for the diagnostic to go away. Writes what it saw as JSON.
local config_file = os.getenv('DL_LSP_NVIM_CONFIG')
local out_file = os.getenv('DL_LSP_NVIM_OUT')
local result = { steps = {} }

local function finish(ok, why)
  result.ok = ok
  result.why = why
  local handle = assert(io.open(out_file, 'w'))
  handle:write(vim.json.encode(result))
  handle:close()
  if ok then vim.cmd('qa!') else vim.cmd('cquit 1') end
end

local function step(name) table.insert(result.steps, name) end

local function codes(bufnr)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do table.insert(found, d.code) end
  table.sort(found)
  return found
end

local function find(bufnr, code)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.code == code then return d end
  end
end

local ok, err = pcall(function()
  dofile(config_file)                -- vim.lsp.config(...) + vim.lsp.enable(...), from the docs
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = 'python'  -- -u NONE skips filetype detection; this starts the client
  step('configured')

  local client
  vim.wait(20000, function()
    client = vim.lsp.get_clients({ bufnr = bufnr, name = 'dl_lsp' })[1]
    return client ~= nil and client.initialized
  end, 50)
  if not client then return finish(false, 'the client did not start') end
  result.offset_encoding = client.offset_encoding
  result.pull = client.server_capabilities.diagnosticProvider ~= nil
  step('attached')

  if not vim.wait(20000, function() return find(bufnr, 'LLM') ~= nil end, 50) then
    return finish(false, 'no LLM diagnostic; saw: ' .. vim.inspect(codes(bufnr)))
  end
  result.initial_codes = codes(bufnr)
  local llm = find(bufnr, 'LLM')
  result.llm = { lnum = llm.lnum, col = llm.col, end_col = llm.end_col, message = llm.message }
  step('diagnostics')

  local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = llm.lnum, character = llm.col },
  }, 10000)
  for _, response in pairs(hover or {}) do
    if response.result then result.hover = response.result.contents.value end
  end
  step('hover')

  local lsp_diagnostic = llm.user_data and llm.user_data.lsp
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = lsp_diagnostic.range,
    context = { diagnostics = { lsp_diagnostic }, only = { 'quickfix' } },
  }
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 20000)
  local chosen
  result.titles = {}
  for _, response in pairs(responses or {}) do
    for _, action in ipairs(response.result or {}) do
      table.insert(result.titles, action.title)
      if not chosen and action.isPreferred and action.edit then chosen = action end
    end
  end
  if not chosen then return finish(false, 'no preferred quick fix: ' .. vim.inspect(result.titles)) end
  result.applied = chosen.title
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  result.fixed_line = vim.api.nvim_buf_get_lines(bufnr, llm.lnum, llm.lnum + 1, false)[1]
  step('applied')

  if not vim.wait(20000, function() return find(bufnr, 'LLM') == nil and #vim.diagnostic.get(bufnr) > 0 end, 50) then
    return finish(false, 'LLM still reported after the fix: ' .. vim.inspect(codes(bufnr)))
  end
  result.final_codes = codes(bufnr)
  step('cleared')
  finish(true)
end)
if not ok then finish(false, tostring(err)) end
