-- Run by neovim_test.sh inside headless Neovim, after the README's configuration
-- (docs/integrations/coldstart-lint.lua) was loaded: opens the handler, waits for the
-- server's diagnostics, checks their lines against the CLI's, applies the quick fix for
-- CURLOPT_FORBID_REUSE and compares the buffer with what the CLI's --fix wrote. Writes
-- "ok" or the failures to $COLDSTART_NVIM_RESULT and quits with 0 or 1.
local function env(name)
  local value = os.getenv(name)
  assert(value, name .. " is not set")
  return value
end
local failures = {}
local function check(ok, message)
  if not ok then table.insert(failures, message) end
  return ok
end

local function run()
  local timeout = tonumber(env("COLDSTART_NVIM_TIMEOUT_MS"))
  vim.cmd("edit " .. vim.fn.fnameescape(env("COLDSTART_NVIM_FILE")))
  local buf = vim.api.nvim_get_current_buf()
  if not check(vim.bo[buf].filetype == "cpp", "filetype is '" .. vim.bo[buf].filetype .. "', not cpp") then return end

  local expected = {}
  for n in env("COLDSTART_NVIM_LINES"):gmatch("%d+") do table.insert(expected, tonumber(n)) end
  local function lines()
    local out = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do table.insert(out, d.lnum + 1) end
    table.sort(out)
    return table.concat(out, " ")
  end
  local want = table.concat(expected, " ")
  vim.wait(timeout, function() return lines() == want end, 50)
  if not check(lines() == want, "diagnostics on lines '" .. lines() .. "', the CLI reports '" .. want .. "'") then
    return
  end

  local line = vim.fn.search("CURLOPT_FORBID_REUSE", "nw") -- 1-based
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = { start = { line = line - 1, character = 0 }, ["end"] = { line = line - 1, character = 0 } },
    context = { diagnostics = {} },
  }
  local responses = vim.lsp.buf_request_sync(buf, "textDocument/codeAction", params, timeout) or {}
  local action, client_id
  for id, response in pairs(responses) do
    for _, a in ipairs(response.result or {}) do
      local d = a.diagnostics and a.diagnostics[1]
      if a.edit and d and d.message:find("CURLOPT_FORBID_REUSE", 1, true) then action, client_id = a, id end
    end
  end
  if not check(action ~= nil, "no code action for CURLOPT_FORBID_REUSE on line " .. line) then return end
  -- Neovim 0.7.0/0.7.1 take only the edit; 0.7.2 and later also the position encoding
  -- (and warn without it). Lua ignores an extra argument, so pass it always.
  local client = vim.lsp.get_client_by_id(client_id)
  vim.lsp.util.apply_workspace_edit(action.edit, (client and client.offset_encoding) or "utf-16")
  local got = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local fixed = vim.fn.readfile(env("COLDSTART_NVIM_EXPECTED"))
  check(table.concat(got, "\n") == table.concat(fixed, "\n"),
    "the buffer after the quick fix differs from the CLI's --fix; line " .. line .. " is now: " .. (got[line] or "?"))
end

local ok, err = pcall(run)
check(ok, "error: " .. tostring(err))
local result = io.open(env("COLDSTART_NVIM_RESULT"), "w")
result:write(#failures == 0 and "ok\n" or table.concat(failures, "\n") .. "\n")
result:close()
vim.cmd(#failures == 0 and "qall!" or "cquit! 1")
