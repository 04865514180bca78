-- Headless Neovim (0.7+) as a plain LSP client of the snowgov server: proves the server works in an
-- editor other than VS Code, over --stdio.
--
--   nvim --headless --clean -c 'luafile test/neovim/lsp-diagnostics.lua' examples/migrations/V1.4.0__grants.sql
--
-- Exits 0 only when a diagnostic whose source is "snowgov" arrives for the opened buffer; 1 when
-- none arrives in time or the server dies. Neovim 0.7 has no vim.lsp.start (0.8) or `nvim -l`
-- (0.9), hence start_client + buf_attach_client and `luafile`. Environment:
--   SNOWGOV_SERVER_CMD   server command (default: node out/server.js --stdio)
--   SNOWGOV_EXPECT_RULE  additionally require a diagnostic with this rule code
--   LSP_TIMEOUT_MS       how long to wait for diagnostics (default 20000)
local out = io.stdout
local function fail(message)
  out:write('FAIL ' .. message .. '\n')
  out:flush()
  vim.cmd('cquit 1')
end

local file = vim.fn.expand('%:p')
if file == '' then
  fail('no file given')
end
local buf = vim.api.nvim_get_current_buf()
-- The project root holds snowgov.yaml (examples/ for the example migrations), so the server
-- reads the same configuration as the CLI would.
local root = vim.fn.fnamemodify(vim.fn.findfile('snowgov.yaml', vim.fn.fnamemodify(file, ':h') .. ';'), ':p:h')
if root == '' or vim.fn.isdirectory(root) == 0 then
  root = vim.fn.fnamemodify(file, ':h')
end
local cmd = vim.split(vim.env.SNOWGOV_SERVER_CMD or 'node out/server.js --stdio', ' ', { trimempty = true })
local expect_rule = vim.env.SNOWGOV_EXPECT_RULE
local problems = {}

local id = vim.lsp.start_client({
  name = 'snowgov',
  cmd = cmd,
  root_dir = root,
  -- Like an untrusted VS Code workspace: the flag is forwarded, the server must not go live.
  init_options = { workspaceTrusted = false },
  on_exit = function(code, signal)
    if code ~= 0 or signal ~= 0 then
      table.insert(problems, ('server exited with code %d, signal %d'):format(code, signal))
    end
  end,
})
if not id then
  fail('could not start ' .. table.concat(cmd, ' '))
end
vim.lsp.buf_attach_client(buf, id)

local function rule_of(d)
  local lsp = d.user_data and d.user_data.lsp
  return lsp and lsp.code or d.code
end

local function snowgov_diagnostics()
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.source == 'snowgov' then
      table.insert(found, d)
    end
  end
  return found
end

local function satisfied()
  for _, d in ipairs(snowgov_diagnostics()) do
    if not expect_rule or rule_of(d) == expect_rule then
      return true
    end
  end
  return false
end

local started = vim.loop.hrtime()
local ok = vim.wait(tonumber(vim.env.LSP_TIMEOUT_MS or '20000'), function()
  return satisfied() or #problems > 0
end, 20)
local elapsed = (vim.loop.hrtime() - started) / 1e9
-- Decide now: stopping the client below clears its diagnostics from the buffer.
local passed = ok and satisfied() and #problems == 0

for _, d in ipairs(snowgov_diagnostics()) do
  out:write(('%s:%d:%d %s %s\n'):format(vim.fn.fnamemodify(file, ':.'), d.lnum + 1, d.col + 1, tostring(rule_of(d)), d.message))
end
out:write(('neovim %s: filetype=%s, %d snowgov diagnostic(s) in %.2fs\n'):format(
  tostring(vim.version().major) .. '.' .. tostring(vim.version().minor),
  vim.bo[buf].filetype,
  #snowgov_diagnostics(),
  elapsed
))
out:flush()

vim.lsp.stop_client(id)
vim.wait(3000, function()
  return vim.lsp.get_client_by_id(id) == nil
end, 20)

if #problems > 0 then
  fail(table.concat(problems, '; '))
elseif not passed then
  fail('no snowgov diagnostic' .. (expect_rule and (' with code ' .. expect_rule) or '') .. ' arrived')
end
out:write('PASS\n')
out:flush()
vim.cmd('qall!')
