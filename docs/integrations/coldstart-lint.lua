-- coldstart-lint in Neovim 0.7 and later, as a language server of its own (next to
-- clangd, which cannot load plugins). Load it from init.lua (dofile) or init.vim
-- (luafile), or copy it to ~/.config/nvim/plugin/. One server per project root: the
-- nearest directory above the file holding compile_commands.json, compile_flags.txt
-- or .git (the server finds the compilation database itself, as clangd does).
local cmd = { "coldstart-lint", "lsp" }
local markers = { "compile_commands.json", "compile_flags.txt", ".git" }
local clients = {} -- root directory -> client id

local function root_dir(file)
  local dir = vim.fn.fnamemodify(file, ":p:h")
  for _, marker in ipairs(markers) do
    local found = vim.fn.findfile(marker, dir .. ";")
    if found == "" then found = vim.fn.finddir(marker, dir .. ";") end
    if found ~= "" then
      local path = vim.fn.fnamemodify(found, ":p"):gsub("/$", "") -- a directory's :p ends in /
      return vim.fn.fnamemodify(path, ":h")
    end
  end
  return dir
end

vim.api.nvim_create_autocmd("FileType", {
  group = vim.api.nvim_create_augroup("coldstart-lint", { clear = true }),
  pattern = { "c", "cpp" },
  callback = function(args)
    local file = vim.api.nvim_buf_get_name(args.buf)
    if file == "" or vim.fn.executable(cmd[1]) == 0 then return end
    local root = root_dir(file)
    local id = clients[root]
    if not id or not vim.lsp.get_client_by_id(id) then
      id = vim.lsp.start_client({ name = "coldstart-lint", cmd = cmd, root_dir = root })
      clients[root] = id
    end
    if id then vim.lsp.buf_attach_client(args.buf, id) end
  end,
})
