/* isthmus-hook-lint.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-hook-lint"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <gio/gio.h>

#include "isthmus-hook-lint.h"

#define HOOK_NAME "__TAURI_ISOLATION_HOOK__"

typedef enum
{
  TOK_IDENT,
  TOK_STRING,
  TOK_NUMBER,
  TOK_PUNCT,
  TOK_REGEX,
} TokKind;

typedef struct
{
  TokKind   kind;
  guint     line;
  gboolean  nl_before;
  char     *text;
} Token;

typedef struct
{
  const Token *toks;
  guint        n;
} Tokens;

void
isthmus_hook_script_free (IsthmusHookScript *script)
{
  if (script == NULL)
    return;

  g_free (script->file);
  g_free (script->src);
  g_free (script->code);
  g_free (script->problem);
  g_free (script);
}

void
isthmus_hook_lint_finding_free (IsthmusHookLintFinding *finding)
{
  if (finding == NULL)
    return;

  g_free (finding->file);
  g_free (finding->code);
  g_free (finding->message);
  g_free (finding);
}

/**
 * isthmus_hook_lint_finding_format:
 * @finding: a finding
 *
 * Returns: (transfer full): "file:line: message"
 */
char *
isthmus_hook_lint_finding_format (const IsthmusHookLintFinding *finding)
{
  g_return_val_if_fail (finding != NULL, NULL);

  return g_strdup_printf ("%s:%u: %s", finding->file, finding->line, finding->message);
}

static void G_GNUC_PRINTF (5, 6)
add_finding (GPtrArray  *findings,
             const char *file,
             guint       line,
             const char *code,
             const char *format,
             ...)
{
  IsthmusHookLintFinding *finding;
  va_list args;

  finding = g_new0 (IsthmusHookLintFinding, 1);
  finding->file = g_strdup (file);
  finding->line = line;
  finding->code = g_strdup (code);
  va_start (args, format);
  finding->message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (findings, finding);
}

/* HTML */

static guint
count_newlines (const char *from,
                const char *to)
{
  guint n = 0;

  for (const char *p = from; p < to; p++)
    if (*p == '\n')
      n++;

  return n;
}

static const char *
find_ci (const char *haystack,
         const char *end,
         const char *needle)
{
  gsize len = strlen (needle);

  for (const char *p = haystack; p + len <= end; p++)
    if (g_ascii_strncasecmp (p, needle, len) == 0)
      return p;

  return NULL;
}

/* Parses the attributes of a tag from @p up to its '>' into @attrs
 * (lower-case names) and returns the position after the '>'. */
static const char *
parse_attributes (const char *p,
                  const char *end,
                  GHashTable *attrs)
{
  while (p < end)
    {
      const char *name;
      g_autofree char *key = NULL;
      char *value = NULL;

      while (p < end && (g_ascii_isspace (*p) || *p == '/'))
        p++;
      if (p >= end)
        return end;
      if (*p == '>')
        return p + 1;

      name = p;
      while (p < end && !g_ascii_isspace (*p) && *p != '=' && *p != '>' && *p != '/')
        p++;
      key = g_ascii_strdown (name, p - name);

      while (p < end && g_ascii_isspace (*p))
        p++;
      if (p < end && *p == '=')
        {
          p++;
          while (p < end && g_ascii_isspace (*p))
            p++;
          if (p < end && (*p == '"' || *p == '\''))
            {
              char quote = *p++;
              const char *start = p;

              while (p < end && *p != quote)
                p++;
              value = g_strndup (start, p - start);
              if (p < end)
                p++;
            }
          else
            {
              const char *start = p;

              while (p < end && !g_ascii_isspace (*p) && *p != '>')
                p++;
              value = g_strndup (start, p - start);
            }
        }

      if (*key != '\0' && !g_hash_table_contains (attrs, key))
        g_hash_table_insert (attrs, g_steal_pointer (&key), value != NULL ? value : g_strdup (""));
      else
        g_free (value);
    }

  return end;
}

/* 0: not JavaScript, 1: classic, 2: module. */
static int
script_kind (const char *type)
{
  static const char * const classic[] = {
    "text/javascript", "application/javascript", "text/ecmascript",
    "application/ecmascript", "application/x-javascript", "text/jscript",
  };
  g_autofree char *lower = NULL;
  char *semicolon;

  if (type == NULL)
    return 1;

  lower = g_ascii_strdown (g_strstrip (g_strdup (type)), -1);
  semicolon = strchr (lower, ';');
  if (semicolon != NULL)
    *semicolon = '\0';
  g_strstrip (lower);

  if (*lower == '\0')
    return 1;
  if (g_str_equal (lower, "module"))
    return 2;
  for (guint i = 0; i < G_N_ELEMENTS (classic); i++)
    if (g_str_equal (lower, classic[i]))
      return 1;

  return 0;
}

/* A URL of another origin: any scheme, or "//host". */
static gboolean
is_external_reference (const char *url)
{
  const char *p = url;

  while (g_ascii_isspace (*p))
    p++;
  if (p[0] == '/' && p[1] == '/')
    return TRUE;
  if (!g_ascii_isalpha (*p))
    return FALSE;
  while (g_ascii_isalnum (*p) || *p == '+' || *p == '.' || *p == '-')
    p++;

  return *p == ':';
}

static void
load_local_script (IsthmusHookScript *script,
                   const char        *app_dir)
{
  g_autofree char *path = g_strdup (script->src);
  g_autofree char *root = g_canonicalize_filename (app_dir, NULL);
  g_autofree char *root_slash = g_strconcat (root, G_DIR_SEPARATOR_S, NULL);
  g_autofree char *full = NULL;
  g_autoptr(GError) error = NULL;
  char *cut;
  const char *rel;
  gsize length;

  cut = strpbrk (path, "?#");
  if (cut != NULL)
    *cut = '\0';
  g_strstrip (path);
  rel = path;
  while (*rel == '/')
    rel++;

  full = g_canonicalize_filename (rel, root);
  script->file = g_strdup (rel);
  script->line = 1;

  if (*rel == '\0' || !g_str_has_prefix (full, root_slash))
    {
      script->problem = g_strdup_printf (_("“%s” is outside the isolation app folder"), script->src);
      return;
    }

  if (!g_file_get_contents (full, &script->code, &length, &error))
    {
      script->problem = g_strdup_printf (_("cannot read “%s”: %s"), script->src, error->message);
      return;
    }

  if (!g_utf8_validate (script->code, length, NULL) || strlen (script->code) != length)
    {
      g_clear_pointer (&script->code, g_free);
      script->problem = g_strdup_printf (_("“%s” is not UTF-8 text"), script->src);
    }
}

/* Scans @html for scripts (into @scripts) and, when @findings is given,
 * external stylesheets and other linked resources. */
static void
scan_html (const char *app_dir,
           const char *html,
           gsize       length,
           GPtrArray  *scripts,
           GPtrArray  *findings)
{
  const char *end = html + length;
  const char *p = html;
  guint line = 1;

  while (p < end)
    {
      const char *lt = memchr (p, '<', end - p);
      const char *name;
      const char *after;
      g_autofree char *tag = NULL;
      g_autoptr(GHashTable) attrs = NULL;

      if (lt == NULL)
        break;
      line += count_newlines (p, lt);
      p = lt;

      if (strncmp (p, "<!--", 4) == 0)
        {
          const char *close = find_ci (p + 4, end, "-->");
          const char *stop = close != NULL ? close + 3 : end;

          line += count_newlines (p, stop);
          p = stop;
          continue;
        }

      name = p + 1;
      after = name;
      while (after < end && (g_ascii_isalnum (*after) || *after == '-'))
        after++;
      if (after == name)
        {
          p++;
          continue;
        }
      tag = g_ascii_strdown (name, after - name);
      attrs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      after = parse_attributes (after, end, attrs);

      if (g_str_equal (tag, "script"))
        {
          const char *body = after;
          const char *close = find_ci (body, end, "</script");
          const char *body_end = close != NULL ? close : end;
          guint tag_line = line;
          guint body_line = line + count_newlines (p, body);
          const char *src = g_hash_table_lookup (attrs, "src");
          int kind = script_kind (g_hash_table_lookup (attrs, "type"));

          if (kind != 0)
            {
              IsthmusHookScript *script = g_new0 (IsthmusHookScript, 1);

              script->tag_line = tag_line;
              script->is_module = kind == 2;
              if (src != NULL)
                {
                  script->src = g_strdup (src);
                  if (is_external_reference (src))
                    {
                      script->is_external = TRUE;
                      script->file = g_strdup ("index.html");
                      script->line = tag_line;
                      script->problem = g_strdup_printf (_("external script “%s” is not loaded"), src);
                    }
                  else
                    load_local_script (script, app_dir);
                }
              else
                {
                  script->file = g_strdup ("index.html");
                  script->line = body_line;
                  script->code = g_strndup (body, body_end - body);
                }
              g_ptr_array_add (scripts, script);
            }

          if (close != NULL)
            {
              const char *gt = memchr (close, '>', end - close);

              after = gt != NULL ? gt + 1 : end;
            }
          else
            after = end;
        }
      else if (findings != NULL)
        {
          const char *href = g_hash_table_lookup (attrs, "href");
          const char *src = g_hash_table_lookup (attrs, "src");
          const char *url = href != NULL && !g_str_equal (tag, "a") ? href : src;

          if (url != NULL && is_external_reference (url) &&
              !g_str_has_prefix (url, "#") && g_ascii_strncasecmp (url, "data:", 5) != 0)
            add_finding (findings, "index.html", line, "external-url",
                         _("<%s> loads the external URL “%s”: the isolation frame’s Content-Security-Policy (default-src 'none') blocks it"),
                         tag, url);
        }

      line += count_newlines (p, after);
      p = after;
    }
}

/**
 * isthmus_hook_app_scan:
 * @app_dir: the isolation app folder
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type IsthmusHookScript) (nullable): the
 *   scripts of index.html in document order
 */
GPtrArray *
isthmus_hook_app_scan (const char  *app_dir,
                       GError     **error)
{
  g_autofree char *index = NULL;
  g_autofree char *html = NULL;
  g_autoptr(GPtrArray) scripts = NULL;
  gsize length;

  g_return_val_if_fail (app_dir != NULL, NULL);

  index = g_build_filename (app_dir, "index.html", NULL);
  if (!g_file_get_contents (index, &html, &length, error))
    return NULL;

  scripts = g_ptr_array_new_with_free_func ((GDestroyNotify)isthmus_hook_script_free);
  scan_html (app_dir, html, length, scripts, NULL);

  return g_steal_pointer (&scripts);
}

/* JavaScript tokens */

static void
token_clear (gpointer data)
{
  Token *token = data;

  g_free (token->text);
}

static gboolean
is_ident_start (guchar c)
{
  return g_ascii_isalpha (c) || c == '_' || c == '$' || c >= 0x80;
}

static gboolean
is_ident_char (guchar c)
{
  return is_ident_start (c) || g_ascii_isdigit (c);
}

static gboolean
regex_allowed (GArray *tokens)
{
  static const char * const keywords[] = {
    "return", "typeof", "instanceof", "in", "of", "new", "delete", "void",
    "throw", "case", "do", "else", "yield", "await",
  };
  const Token *prev;

  if (tokens->len == 0)
    return TRUE;
  prev = &g_array_index (tokens, Token, tokens->len - 1);
  if (prev->kind == TOK_PUNCT)
    return !g_str_equal (prev->text, ")") && !g_str_equal (prev->text, "]") &&
           !g_str_equal (prev->text, "}");
  if (prev->kind == TOK_IDENT)
    {
      for (guint i = 0; i < G_N_ELEMENTS (keywords); i++)
        if (g_str_equal (prev->text, keywords[i]))
          return TRUE;
    }

  return FALSE;
}

/* Skips a quoted string or template starting at @p (its quote); returns
 * the position after it and counts newlines into @line. */
static const char *
skip_quoted (const char *p,
             const char *end,
             guint      *line)
{
  char quote = *p++;

  while (p < end && *p != quote)
    {
      if (*p == '\\' && p + 1 < end)
        {
          if (p[1] == '\n')
            (*line)++;
          p += 2;
          continue;
        }
      if (*p == '\n')
        {
          (*line)++;
          if (quote != '`')
            return p;
        }
      if (quote == '`' && *p == '$' && p + 1 < end && p[1] == '{')
        {
          int depth = 1;

          p += 2;
          while (p < end && depth > 0)
            {
              if (*p == '\'' || *p == '"' || *p == '`')
                {
                  p = skip_quoted (p, end, line);
                  continue;
                }
              if (*p == '{')
                depth++;
              else if (*p == '}')
                depth--;
              else if (*p == '\n')
                (*line)++;
              p++;
            }
          continue;
        }
      p++;
    }

  return p < end ? p + 1 : end;
}

static GArray *
tokenize (const char *code,
          guint       first_line)
{
  static const char * const operators[] = {
    ">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "?""?=",
    "=>", "==", "!=", "<=", ">=", "&&", "||", "?""?", "?.", "++", "--", "+=", "-=",
    "*=", "/=", "%=", "&=", "|=", "^=", "**", "<<", ">>",
  };
  GArray *tokens = g_array_new (FALSE, TRUE, sizeof (Token));
  const char *p = code;
  const char *end = code + strlen (code);
  guint line = first_line;
  gboolean nl = TRUE;

  g_array_set_clear_func (tokens, token_clear);

  while (p < end)
    {
      Token token = { 0 };
      const char *start;

      if (*p == '\n')
        {
          line++;
          nl = TRUE;
          p++;
          continue;
        }
      if (g_ascii_isspace (*p))
        {
          p++;
          continue;
        }
      if (p[0] == '/' && p + 1 < end && p[1] == '/')
        {
          while (p < end && *p != '\n')
            p++;
          continue;
        }
      if (p[0] == '/' && p + 1 < end && p[1] == '*')
        {
          const char *close = strstr (p + 2, "*/");
          const char *stop = close != NULL ? close + 2 : end;

          line += count_newlines (p, stop);
          nl = nl || count_newlines (p, stop) > 0;
          p = stop;
          continue;
        }

      token.line = line;
      token.nl_before = nl;
      nl = FALSE;
      start = p;

      if (is_ident_start ((guchar)*p))
        {
          while (p < end && is_ident_char ((guchar)*p))
            p++;
          token.kind = TOK_IDENT;
          token.text = g_strndup (start, p - start);
        }
      else if (g_ascii_isdigit (*p) || (*p == '.' && p + 1 < end && g_ascii_isdigit (p[1])))
        {
          while (p < end && (g_ascii_isalnum (*p) || *p == '.' || *p == '_'))
            p++;
          token.kind = TOK_NUMBER;
          token.text = g_strndup (start, p - start);
        }
      else if (*p == '\'' || *p == '"' || *p == '`')
        {
          p = skip_quoted (p, end, &line);
          token.kind = TOK_STRING;
          token.text = g_strndup (start + 1, MAX (p - start - 2, 0));
        }
      else if (*p == '/' && regex_allowed (tokens))
        {
          gboolean in_class = FALSE;

          p++;
          while (p < end && *p != '\n' && (in_class || *p != '/'))
            {
              if (*p == '\\' && p + 1 < end)
                p++;
              else if (*p == '[')
                in_class = TRUE;
              else if (*p == ']')
                in_class = FALSE;
              p++;
            }
          if (p < end && *p == '/')
            p++;
          while (p < end && g_ascii_isalpha (*p))
            p++;
          token.kind = TOK_REGEX;
          token.text = g_strndup (start, p - start);
        }
      else
        {
          gsize len = 1;

          for (guint i = 0; i < G_N_ELEMENTS (operators); i++)
            {
              gsize n = strlen (operators[i]);

              if ((gsize)(end - p) >= n && strncmp (p, operators[i], n) == 0)
                {
                  len = n;
                  break;
                }
            }
          p += len;
          token.kind = TOK_PUNCT;
          token.text = g_strndup (start, len);
        }

      g_array_append_val (tokens, token);
    }

  return tokens;
}

static gboolean
tok_is (const Tokens *t,
        guint         i,
        const char   *text)
{
  return i < t->n && (t->toks[i].kind == TOK_IDENT || t->toks[i].kind == TOK_PUNCT) &&
         g_str_equal (t->toks[i].text, text);
}

/* The index of the bracket closing the one at @i, or t->n. */
static guint
match_bracket (const Tokens *t,
               guint         i)
{
  int depth = 0;

  for (guint k = i; k < t->n; k++)
    {
      const Token *tok = &t->toks[k];

      if (tok->kind != TOK_PUNCT)
        continue;
      if (g_str_equal (tok->text, "(") || g_str_equal (tok->text, "[") || g_str_equal (tok->text, "{"))
        depth++;
      else if (g_str_equal (tok->text, ")") || g_str_equal (tok->text, "]") || g_str_equal (tok->text, "}"))
        {
          depth--;
          if (depth == 0)
            return k;
        }
    }

  return t->n;
}

static gboolean
is_open (const Token *tok)
{
  return tok->kind == TOK_PUNCT &&
         (g_str_equal (tok->text, "(") || g_str_equal (tok->text, "[") || g_str_equal (tok->text, "{"));
}

static gboolean
is_close (const Token *tok)
{
  return tok->kind == TOK_PUNCT &&
         (g_str_equal (tok->text, ")") || g_str_equal (tok->text, "]") || g_str_equal (tok->text, "}"));
}

/* Whether a line break after @prev and before @next ends a statement. */
static gboolean
line_break_ends (const Token *prev,
                 const Token *next)
{
  if (prev->kind == TOK_PUNCT && !is_close (prev) &&
      !g_str_equal (prev->text, "++") && !g_str_equal (prev->text, "--"))
    return FALSE;
  if (next->kind == TOK_IDENT)
    return !g_str_equal (next->text, "in") && !g_str_equal (next->text, "of") &&
           !g_str_equal (next->text, "instanceof");

  return next->kind == TOK_STRING || next->kind == TOK_NUMBER ||
         (next->kind == TOK_PUNCT && (g_str_equal (next->text, "++") || g_str_equal (next->text, "--")));
}

/* The end of a simple statement starting at @i: after its ';', at the
 * '}' closing the enclosing block, or at the start of the next line's
 * statement. Always > @i. */
static guint
simple_statement_end (const Tokens *t,
                      guint         i,
                      guint         to)
{
  int depth = 0;

  for (guint k = i; k < to; k++)
    {
      const Token *tok = &t->toks[k];

      if (k > i && depth == 0 && tok->nl_before && line_break_ends (&t->toks[k - 1], tok))
        return k;
      if (is_open (tok))
        depth++;
      else if (is_close (tok))
        {
          if (depth == 0)
            return MAX (k, i + 1);
          depth--;
        }
      else if (depth == 0 && tok_is (t, k, ";"))
        return k + 1;
    }

  return MAX (to, i + 1);
}

static gboolean statement_ends (const Tokens *t,
                                guint         i,
                                guint         to,
                                guint        *next);

static gboolean
block_ends (const Tokens *t,
            guint         from,
            guint         to)
{
  guint i = from;

  while (i < to)
    {
      guint next = i + 1;

      if (statement_ends (t, i, to, &next))
        return TRUE;
      i = MAX (next, i + 1);
    }

  return FALSE;
}

static gboolean
contains_break (const Tokens *t,
                guint         from,
                guint         to)
{
  for (guint k = from; k < to && k < t->n; k++)
    if (tok_is (t, k, "break"))
      return TRUE;

  return FALSE;
}

/* Past a parenthesised group at @i (or @i itself if there is none). */
static guint
skip_parens (const Tokens *t,
             guint         i)
{
  if (!tok_is (t, i, "("))
    return i;

  return MIN (match_bracket (t, i) + 1, t->n);
}

static gboolean
switch_ends (const Tokens *t,
             guint         from,
             guint         to)
{
  gboolean has_default = FALSE;
  gboolean last = FALSE;
  guint i = from;

  while (i < to)
    {
      guint next = i + 1;

      if (tok_is (t, i, "case"))
        {
          int depth = 0;

          for (next = i + 1; next < to; next++)
            {
              if (is_open (&t->toks[next]))
                depth++;
              else if (is_close (&t->toks[next]))
                depth--;
              else if (depth == 0 && tok_is (t, next, ":"))
                break;
            }
          i = next + 1;
          continue;
        }
      if (tok_is (t, i, "default") && tok_is (t, i + 1, ":"))
        {
          has_default = TRUE;
          i += 2;
          continue;
        }
      last = statement_ends (t, i, to, &next);
      i = MAX (next, i + 1);
    }

  return has_default && last && !contains_break (t, from, to);
}

static gboolean
statement_ends (const Tokens *t,
                guint         i,
                guint         to,
                guint        *next)
{
  guint k;

  if (tok_is (t, i, "{"))
    {
      guint j = MIN (match_bracket (t, i), to);

      *next = j + 1;
      return block_ends (t, i + 1, j);
    }
  if (tok_is (t, i, ";"))
    {
      *next = i + 1;
      return FALSE;
    }
  if (tok_is (t, i, "return") || tok_is (t, i, "throw"))
    {
      *next = simple_statement_end (t, i, to);
      return TRUE;
    }
  if (tok_is (t, i, "if"))
    {
      guint n1 = i + 1;
      gboolean s1;

      k = skip_parens (t, i + 1);
      if (k >= to)
        {
          *next = to;
          return FALSE;
        }
      s1 = statement_ends (t, k, to, &n1);
      if (tok_is (t, n1, "else") && n1 + 1 < to)
        {
          gboolean s2 = statement_ends (t, n1 + 1, to, next);

          return s1 && s2;
        }
      *next = n1;
      return FALSE;
    }
  if (tok_is (t, i, "try") && tok_is (t, i + 1, "{"))
    {
      guint jb = MIN (match_bracket (t, i + 1), to);
      gboolean tb = block_ends (t, i + 2, jb);
      gboolean has_catch = FALSE;
      gboolean tc = FALSE;
      gboolean tf = FALSE;

      k = jb + 1;
      if (tok_is (t, k, "catch"))
        {
          has_catch = TRUE;
          k = skip_parens (t, k + 1);
          if (tok_is (t, k, "{"))
            {
              guint jc = MIN (match_bracket (t, k), to);

              tc = block_ends (t, k + 1, jc);
              k = jc + 1;
            }
        }
      if (tok_is (t, k, "finally") && tok_is (t, k + 1, "{"))
        {
          guint jf = MIN (match_bracket (t, k + 1), to);

          tf = block_ends (t, k + 2, jf);
          k = jf + 1;
        }
      *next = MIN (k, to);
      return (tb && (!has_catch || tc)) || tf;
    }
  if (tok_is (t, i, "switch"))
    {
      k = skip_parens (t, i + 1);
      if (tok_is (t, k, "{"))
        {
          guint j = MIN (match_bracket (t, k), to);

          *next = j + 1;
          return switch_ends (t, k + 1, j);
        }
      *next = simple_statement_end (t, i, to);
      return FALSE;
    }
  if (tok_is (t, i, "while") || tok_is (t, i, "for"))
    {
      guint open = i + 1;
      guint close;
      gboolean forever;
      guint body_end = i + 1;

      if (tok_is (t, open, "await"))
        open++;
      if (!tok_is (t, open, "("))
        {
          *next = simple_statement_end (t, i, to);
          return FALSE;
        }
      close = match_bracket (t, open);
      if (tok_is (t, i, "while"))
        forever = close == open + 2 && tok_is (t, open + 1, "true");
      else
        forever = close == open + 3 && tok_is (t, open + 1, ";") && tok_is (t, open + 2, ";");
      if (close + 1 >= to)
        {
          *next = to;
          return FALSE;
        }
      statement_ends (t, close + 1, to, &body_end);
      *next = body_end;
      return forever && !contains_break (t, close + 1, body_end);
    }
  if (tok_is (t, i, "do"))
    {
      guint body_end = i + 1;

      statement_ends (t, i + 1, to, &body_end);
      k = body_end;
      if (tok_is (t, k, "while"))
        k = skip_parens (t, k + 1);
      if (tok_is (t, k, ";"))
        k++;
      *next = MAX (MIN (k, to), i + 1);
      return FALSE;
    }
  if (tok_is (t, i, "function") || (tok_is (t, i, "async") && tok_is (t, i + 1, "function")))
    {
      k = i + (tok_is (t, i, "async") ? 2 : 1);
      while (k < to && !tok_is (t, k, "("))
        k++;
      k = skip_parens (t, k);
      if (tok_is (t, k, "{"))
        k = match_bracket (t, k) + 1;
      *next = MAX (MIN (k, to), i + 1);
      return FALSE;
    }
  if (tok_is (t, i, "class"))
    {
      k = i + 1;
      while (k < to && !tok_is (t, k, "{"))
        k++;
      if (k < to)
        k = match_bracket (t, k) + 1;
      *next = MAX (MIN (k, to), i + 1);
      return FALSE;
    }

  *next = simple_statement_end (t, i, to);
  return FALSE;
}

/* For the function at @i (the right-hand side of an assignment), sets
 * the token range of its block body; FALSE when it has none (an arrow
 * with an expression body, or not a function). @depth bounds the
 * following of names. */
static gboolean
function_body_at (const Tokens *t,
                  guint         i,
                  int           depth,
                  guint        *body_open,
                  guint        *body_close)
{
  guint k = i;

  if (tok_is (t, k, "async"))
    k++;

  if (tok_is (t, k, "function"))
    {
      while (k < t->n && !tok_is (t, k, "("))
        k++;
      k = skip_parens (t, k);
    }
  else if (tok_is (t, k, "("))
    {
      k = skip_parens (t, k);
      if (!tok_is (t, k, "=>"))
        return FALSE;
      k++;
    }
  else if (k < t->n && t->toks[k].kind == TOK_IDENT && tok_is (t, k + 1, "=>"))
    k += 2;
  else if (k < t->n && t->toks[k].kind == TOK_IDENT && depth > 0)
    {
      const char *name = t->toks[k].text;

      /* A name: find its declaration in the same code. */
      for (guint d = 0; d + 1 < t->n; d++)
        {
          if (g_str_equal (t->toks[d].text, name) && d != k && d > 0)
            {
              if (tok_is (t, d - 1, "function"))
                return function_body_at (t, d - 1, depth - 1, body_open, body_close);
              if ((tok_is (t, d - 1, "const") || tok_is (t, d - 1, "let") || tok_is (t, d - 1, "var")) &&
                  tok_is (t, d + 1, "="))
                return function_body_at (t, d + 2, depth - 1, body_open, body_close);
            }
        }
      return FALSE;
    }
  else
    return FALSE;

  if (!tok_is (t, k, "{"))
    return FALSE;

  *body_open = k;
  *body_close = match_bracket (t, k);

  return *body_close < t->n;
}

static gboolean
is_external_url_string (const char *s)
{
  if (g_ascii_strncasecmp (s, "http://", 7) == 0 || g_ascii_strncasecmp (s, "https://", 8) == 0)
    return TRUE;
  if (s[0] == '/' && s[1] == '/' && g_ascii_isalnum (s[2]))
    {
      const char *slash = strchr (s + 2, '/');
      const char *dot = strchr (s + 2, '.');

      return dot != NULL && (slash == NULL || dot < slash);
    }

  return FALSE;
}

static void
check_specifier (const Token *spec,
                 const char  *file,
                 GPtrArray   *findings,
                 GHashTable  *reported)
{
  const char *s = spec->text;

  g_hash_table_add (reported, (gpointer)spec);

  if (is_external_url_string (s) || is_external_reference (s))
    add_finding (findings, file, spec->line, "external-url",
                 _("import of the external URL “%s”: the isolation frame’s Content-Security-Policy (default-src 'none') blocks it"),
                 s);
  else if (!g_str_has_prefix (s, "./") && !g_str_has_prefix (s, "../") && !g_str_has_prefix (s, "/"))
    add_finding (findings, file, spec->line, "bare-import",
                 _("bare import “%s”: Tauri does not bundle the isolation app, so nothing resolves package names in the frame"),
                 s);
}

static const char *
bundler_marker (const Tokens *t,
                guint         k)
{
  const Token *tok = &t->toks[k];

  if (tok->kind == TOK_IDENT)
    {
      if (g_str_has_prefix (tok->text, "__webpack_") || g_str_has_prefix (tok->text, "webpackChunk") ||
          g_str_equal (tok->text, "webpackJsonp"))
        return "webpack";
      if (g_str_has_prefix (tok->text, "__vite") || g_str_has_prefix (tok->text, "__VITE"))
        return "Vite";
      if (g_str_equal (tok->text, "parcelRequire") || g_str_has_prefix (tok->text, "parcelRequire"))
        return "Parcel";
      if (g_str_equal (tok->text, "import") && tok_is (t, k + 1, ".") && tok_is (t, k + 2, "meta") &&
          tok_is (t, k + 3, ".") && tok_is (t, k + 4, "env"))
        return "Vite (import.meta.env)";
    }
  else if (tok->kind == TOK_STRING && strstr (tok->text, "/@vite/") != NULL)
    return "Vite";

  return NULL;
}

/**
 * isthmus_hook_lint_code:
 * @file: the file name to report
 * @code: JavaScript
 * @first_line: the line of @file where @code starts
 * @is_module: whether it is a module script
 * @findings: (element-type IsthmusHookLintFinding): where findings go
 *
 * Returns: whether @code mentions __TAURI_ISOLATION_HOOK__
 */
gboolean
isthmus_hook_lint_code (const char *file,
                        const char *code,
                        guint       first_line,
                        gboolean    is_module,
                        GPtrArray  *findings)
{
  g_autoptr(GArray) tokens = NULL;
  g_autoptr(GHashTable) reported = NULL;
  gboolean mentions_hook = FALSE;
  gboolean bundler_seen = FALSE;
  Tokens t;

  g_return_val_if_fail (file != NULL, FALSE);
  g_return_val_if_fail (code != NULL, FALSE);
  g_return_val_if_fail (findings != NULL, FALSE);

  tokens = tokenize (code, first_line);
  t.toks = (const Token *)(gpointer)tokens->data;
  t.n = tokens->len;
  reported = g_hash_table_new (NULL, NULL);

  for (guint k = 0; k < t.n; k++)
    {
      const Token *tok = &t.toks[k];
      gboolean after_dot = k > 0 && (tok_is (&t, k - 1, ".") || tok_is (&t, k - 1, "?."));
      const char *marker;

      if ((tok->kind == TOK_IDENT || tok->kind == TOK_STRING) && strstr (tok->text, HOOK_NAME) != NULL)
        mentions_hook = TRUE;

      marker = bundler_marker (&t, k);
      if (marker != NULL && !bundler_seen)
        {
          bundler_seen = TRUE;
          add_finding (findings, file, tok->line, "bundler-output",
                       _("bundler output (%s runtime): Tauri does not bundle the isolation app; ship plain classic scripts"),
                       marker);
        }

      if (tok->kind == TOK_IDENT && !after_dot)
        {
          if (g_str_equal (tok->text, "import") && tok_is (&t, k + 1, "(") &&
              k + 2 < t.n && t.toks[k + 2].kind == TOK_STRING)
            check_specifier (&t.toks[k + 2], file, findings, reported);
          else if (g_str_equal (tok->text, "require") && tok_is (&t, k + 1, "(") &&
                   k + 2 < t.n && t.toks[k + 2].kind == TOK_STRING)
            check_specifier (&t.toks[k + 2], file, findings, reported);
          else if ((g_str_equal (tok->text, "import") || g_str_equal (tok->text, "export")) &&
                   tok->nl_before && !tok_is (&t, k + 1, ".") && !tok_is (&t, k + 1, "("))
            {
              guint end = simple_statement_end (&t, k, t.n);

              if (g_str_equal (tok->text, "import") && !is_module)
                add_finding (findings, file, tok->line, "module-script",
                             _("an import statement outside a module script is a syntax error"));
              for (guint j = k + 1; j < end; j++)
                {
                  if (t.toks[j].kind == TOK_STRING &&
                      (j == k + 1 || tok_is (&t, j - 1, "from")))
                    {
                      check_specifier (&t.toks[j], file, findings, reported);
                      break;
                    }
                }
            }
          else if ((g_str_equal (tok->text, "alert") || g_str_equal (tok->text, "confirm") ||
                    g_str_equal (tok->text, "prompt")) && tok_is (&t, k + 1, "(") &&
                   !(k > 0 && tok_is (&t, k - 1, "function")))
            add_finding (findings, file, tok->line, "dialog",
                         _("%s() does nothing in the isolation frame: its sandbox has no allow-modals"),
                         tok->text);
        }
      else if (tok->kind == TOK_IDENT && after_dot && k >= 2 &&
               (g_str_equal (tok->text, "alert") || g_str_equal (tok->text, "confirm") ||
                g_str_equal (tok->text, "prompt")) &&
               (tok_is (&t, k - 2, "window") || tok_is (&t, k - 2, "self") || tok_is (&t, k - 2, "globalThis")))
        add_finding (findings, file, tok->line, "dialog",
                     _("%s() does nothing in the isolation frame: its sandbox has no allow-modals"),
                     tok->text);

      if (tok->kind == TOK_STRING && !g_hash_table_contains (reported, tok) &&
          is_external_url_string (tok->text))
        add_finding (findings, file, tok->line, "external-url",
                     _("external URL “%s”: the isolation frame’s Content-Security-Policy (default-src 'none') blocks every request"),
                     tok->text);

      if (tok->kind == TOK_IDENT && g_str_equal (tok->text, HOOK_NAME) && tok_is (&t, k + 1, "="))
        {
          guint body_open;
          guint body_close;

          if (function_body_at (&t, k + 2, 1, &body_open, &body_close) &&
              !block_ends (&t, body_open + 1, body_close))
            add_finding (findings, file, tok->line, "missing-return",
                         _("the isolation hook can reach the end of its body (line %u) without a return: such a call is blocked, since the hook then returns undefined"),
                         t.toks[body_close].line);
        }
    }

  return mentions_hook;
}

/**
 * isthmus_hook_lint_app:
 * @app_dir: the isolation app folder
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type IsthmusHookLintFinding) (nullable):
 *   the findings
 */
GPtrArray *
isthmus_hook_lint_app (const char  *app_dir,
                       GError     **error)
{
  g_autofree char *index = NULL;
  g_autofree char *html = NULL;
  g_autoptr(GPtrArray) scripts = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  gboolean mentions_hook;
  gsize length;

  g_return_val_if_fail (app_dir != NULL, NULL);

  index = g_build_filename (app_dir, "index.html", NULL);
  if (!g_file_get_contents (index, &html, &length, error))
    return NULL;

  findings = g_ptr_array_new_with_free_func ((GDestroyNotify)isthmus_hook_lint_finding_free);
  scripts = g_ptr_array_new_with_free_func ((GDestroyNotify)isthmus_hook_script_free);
  scan_html (app_dir, html, length, scripts, findings);
  mentions_hook = strstr (html, HOOK_NAME) != NULL;

  for (guint i = 0; i < scripts->len; i++)
    {
      const IsthmusHookScript *script = g_ptr_array_index (scripts, i);

      if (script->is_module)
        add_finding (findings, "index.html", script->tag_line, "module-script",
                     _("<script type=\"module\"> does not load in Tauri’s sandboxed isolation frame on Windows; use a classic <script>"));
      if (script->is_external)
        add_finding (findings, "index.html", script->tag_line, "external-url",
                     _("external script “%s”: Tauri inlines only local <script src> files, and the isolation frame’s Content-Security-Policy blocks the rest"),
                     script->src);
      else if (script->code == NULL)
        add_finding (findings, "index.html", script->tag_line, "missing-script", "%s", script->problem);
      if (script->code != NULL &&
          isthmus_hook_lint_code (script->file, script->code, script->line, script->is_module, findings))
        mentions_hook = TRUE;
    }

  if (!mentions_hook)
    add_finding (findings, "index.html", 1, "no-hook",
                 _("nothing mentions __TAURI_ISOLATION_HOOK__: a Tauri build fails on such an isolation app"));

  return g_steal_pointer (&findings);
}
