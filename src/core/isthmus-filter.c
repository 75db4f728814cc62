/* isthmus-filter.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-filter"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "isthmus-filter.h"

typedef enum
{
  TERM_TEXT,
  TERM_COMMAND,
  TERM_EVENT,
  TERM_WINDOW,
  TERM_KIND,
  TERM_STATUS,
  TERM_VERDICT,
  TERM_ERROR,
  TERM_DURATION,
  TERM_SIZE,
  TERM_REQUEST_SIZE,
  TERM_REPLY_SIZE,
} TermType;

typedef enum
{
  OP_LT,
  OP_LE,
  OP_EQ,
  OP_GE,
  OP_GT,
} CompareOp;

/* A glob kept as text and matched without allocating. GPatternSpec
 * reverses the string on some patterns, which allocates on every match.
 * Matching is ASCII case-insensitive; `?` is one UTF-8 character. */
typedef enum
{
  GLOB_ANY,
  GLOB_LITERAL,
  GLOB_PREFIX,
  GLOB_SUFFIX,
  GLOB_CONTAINS,
  GLOB_GENERAL,
} GlobShape;

typedef struct
{
  GlobShape  shape;
  char      *pattern;
  /* The literal part for the fast shapes. */
  char      *literal;
  gsize      literal_length;
} Glob;

typedef struct
{
  TermType   type;
  gboolean   negate;
  guint      mask;
  GArray    *globs;
  char      *text;
  gsize      text_length;
  CompareOp  op;
  gint64     number;
} Term;

struct _IsthmusFilter
{
  gatomicrefcount  ref_count;
  char            *text;
  GArray          *terms;
};

typedef struct
{
  int offset;
} IsthmusFilterErrorPrivate;

static void
isthmus_filter_error_private_init (IsthmusFilterErrorPrivate *priv)
{
  priv->offset = -1;
}

static void
isthmus_filter_error_private_copy (const IsthmusFilterErrorPrivate *src,
                                   IsthmusFilterErrorPrivate       *dest)
{
  dest->offset = src->offset;
}

static void
isthmus_filter_error_private_clear (IsthmusFilterErrorPrivate *priv)
{
}

G_DEFINE_EXTENDED_ERROR (IsthmusFilterError, isthmus_filter_error)

G_DEFINE_BOXED_TYPE (IsthmusFilter, isthmus_filter, isthmus_filter_ref, isthmus_filter_unref)

static const char * const kind_words[] = {
  [ISTHMUS_EXCHANGE_INVOKE] = "invoke",
  [ISTHMUS_EXCHANGE_EMIT] = "emit",
  [ISTHMUS_EXCHANGE_EVENT] = "event",
  [ISTHMUS_EXCHANGE_CHANNEL] = "channel",
  [ISTHMUS_EXCHANGE_LIFECYCLE] = "lifecycle",
};

static const char * const status_words[] = {
  [ISTHMUS_EXCHANGE_PENDING] = "pending",
  [ISTHMUS_EXCHANGE_OK] = "ok",
  [ISTHMUS_EXCHANGE_ERROR] = "error",
};

/* Keys written KEY:VALUE. */
static const struct
{
  const char *name;
  TermType    type;
} colon_keys[] = {
  { "cmd", TERM_COMMAND },
  { "event", TERM_EVENT },
  { "window", TERM_WINDOW },
  { "kind", TERM_KIND },
  { "status", TERM_STATUS },
  { "verdict", TERM_VERDICT },
  { "err", TERM_ERROR },
};

/* Keys written KEY OP VALUE. */
static const struct
{
  const char *name;
  TermType    type;
} compare_keys[] = {
  { "dur", TERM_DURATION },
  { "size", TERM_SIZE },
  { "reqsize", TERM_REQUEST_SIZE },
  { "replysize", TERM_REPLY_SIZE },
};

static void
glob_clear (Glob *glob)
{
  g_clear_pointer (&glob->pattern, g_free);
  g_clear_pointer (&glob->literal, g_free);
}

static void
term_clear (Term *term)
{
  g_clear_pointer (&term->globs, g_array_unref);
  g_clear_pointer (&term->text, g_free);
}

static void
set_syntax_error (GError **error,
                  int      offset,
                  char    *message)
{
  IsthmusFilterErrorPrivate *priv;

  if (error == NULL)
    {
      g_free (message);
      return;
    }

  /* Translators: the offset of a mistake in a filter, then what was
   * expected there, e.g. "at 4: expected a duration like 5ms". */
  g_set_error (error, ISTHMUS_FILTER_ERROR, ISTHMUS_FILTER_ERROR_SYNTAX,
               _("at %d: %s"), offset, message);
  g_free (message);

  priv = isthmus_filter_error_get_private (*error);
  if (priv != NULL)
    priv->offset = offset;
}

/**
 * isthmus_filter_error_get_offset:
 * @error: an error from isthmus_filter_parse()
 *
 * Returns: the byte offset in the filter text where the mistake is, or -1
 *   when @error is not an %ISTHMUS_FILTER_ERROR
 */
int
isthmus_filter_error_get_offset (const GError *error)
{
  IsthmusFilterErrorPrivate *priv;

  if (error == NULL || error->domain != ISTHMUS_FILTER_ERROR)
    return -1;

  priv = isthmus_filter_error_get_private (error);
  return priv != NULL ? priv->offset : -1;
}

/* g_ascii_tolower() is a function call; this runs once per byte. */
static inline char
lower (char c)
{
  return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Case-insensitive (ASCII) comparison of @length bytes. */
static inline gboolean
bytes_equal_nocase (const char *a,
                    const char *b,
                    gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (lower (a[i]) != lower (b[i]))
      return FALSE;
  return TRUE;
}

/* @needle is already lower case. The comparison of the rest stops at the
 * end of @haystack, since no needle byte is NUL. */
static gboolean
contains_nocase (const char *haystack,
                 const char *needle,
                 gsize       needle_length)
{
  char first;
  char first_upper;

  if (needle_length == 0)
    return TRUE;
  if (haystack == NULL)
    return FALSE;

  first = needle[0];
  first_upper = first >= 'a' && first <= 'z' ? first - ('a' - 'A') : first;

  for (const char *p = haystack; *p != '\0'; p++)
    {
      gsize i;

      if (*p != first && *p != first_upper)
        continue;
      for (i = 1; i < needle_length; i++)
        if (lower (p[i]) != needle[i])
          break;
      if (i == needle_length)
        return TRUE;
    }

  return FALSE;
}

static const char *
skip_utf8_char (const char *s)
{
  s++;
  while (((guchar)*s & 0xC0) == 0x80)
    s++;
  return s;
}

/* Iterative glob match with one backtrack point: linear on the usual
 * patterns, quadratic at worst, never recursive. */
static gboolean
glob_match_general (const char *pattern,
                    const char *string)
{
  const char *star = NULL;
  const char *resume = NULL;

  while (*string != '\0')
    {
      if (*pattern == '*')
        {
          star = ++pattern;
          resume = string;
        }
      else if (*pattern == '?')
        {
          pattern++;
          string = skip_utf8_char (string);
        }
      else if (*pattern != '\0' && lower (*pattern) == lower (*string))
        {
          pattern++;
          string++;
        }
      else if (star != NULL)
        {
          pattern = star;
          resume = skip_utf8_char (resume);
          string = resume;
        }
      else
        return FALSE;
    }

  while (*pattern == '*')
    pattern++;

  return *pattern == '\0';
}

static gboolean
glob_match (const Glob *glob,
            const char *string)
{
  gsize length;

  if (string == NULL)
    return FALSE;

  switch (glob->shape)
    {
    case GLOB_ANY:
      return TRUE;

    case GLOB_LITERAL:
      return g_ascii_strcasecmp (glob->literal, string) == 0;

    case GLOB_PREFIX:
      return g_ascii_strncasecmp (glob->literal, string, glob->literal_length) == 0;

    case GLOB_SUFFIX:
      length = strlen (string);
      return length >= glob->literal_length &&
             bytes_equal_nocase (string + length - glob->literal_length,
                                 glob->literal, glob->literal_length);

    case GLOB_CONTAINS:
      return contains_nocase (string, glob->literal, glob->literal_length);

    case GLOB_GENERAL:
    default:
      return glob_match_general (glob->pattern, string);
    }
}

static void
glob_compile (Glob       *glob,
              const char *pattern,
              gsize       length)
{
  gsize stars = 0;
  gboolean question = FALSE;
  gboolean lead;
  gboolean trail;

  glob->pattern = g_strndup (pattern, length);
  for (gsize i = 0; i < length; i++)
    {
      if (pattern[i] == '*')
        stars++;
      else if (pattern[i] == '?')
        question = TRUE;
    }

  lead = length > 0 && pattern[0] == '*';
  trail = length > 1 && pattern[length - 1] == '*';

  if (stars == length)
    glob->shape = GLOB_ANY;
  else if (question)
    glob->shape = GLOB_GENERAL;
  else if (stars == 0)
    glob->shape = GLOB_LITERAL;
  else if (stars == 1 && trail)
    glob->shape = GLOB_PREFIX;
  else if (stars == 1 && lead)
    glob->shape = GLOB_SUFFIX;
  else if (stars == 2 && lead && trail)
    glob->shape = GLOB_CONTAINS;
  else
    glob->shape = GLOB_GENERAL;

  switch (glob->shape)
    {
    case GLOB_LITERAL:
      glob->literal = g_strndup (pattern, length);
      break;

    case GLOB_PREFIX:
      glob->literal = g_strndup (pattern, length - 1);
      break;

    case GLOB_SUFFIX:
      glob->literal = g_strndup (pattern + 1, length - 1);
      break;

    case GLOB_CONTAINS:
      glob->literal = g_ascii_strdown (pattern + 1, length - 2);
      break;

    case GLOB_ANY:
    case GLOB_GENERAL:
    default:
      break;
    }

  if (glob->literal != NULL)
    glob->literal_length = strlen (glob->literal);
}

static gboolean
globs_match (GArray     *globs,
             const char *string)
{
  for (guint i = 0; i < globs->len; i++)
    if (glob_match (&g_array_index (globs, Glob, i), string))
      return TRUE;
  return FALSE;
}

static inline gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Reads a quoted string starting at @text[*pos] == '"'; on success *pos is
 * after the closing quote and the unescaped text is returned. */
static char *
read_quoted (const char  *text,
             gsize       *pos,
             GError     **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gsize start = *pos;
  gsize i = start + 1;

  for (;;)
    {
      char c = text[i];

      if (c == '\0')
        {
          set_syntax_error (error, (int)start, g_strdup (_("expected a closing quote")));
          return NULL;
        }
      if (c == '"')
        break;
      if (c == '\\' && text[i + 1] != '\0')
        c = text[++i];
      g_string_append_c (out, c);
      i++;
    }

  i++;
  if (text[i] != '\0' && !is_space (text[i]))
    {
      set_syntax_error (error, (int)i, g_strdup (_("expected a space after the closing quote")));
      return NULL;
    }

  *pos = i;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Reads the value of a KEY:VALUE term: quoted, or up to the next space. */
static char *
read_value (const char  *text,
            gsize       *pos,
            GError     **error)
{
  gsize start = *pos;

  if (text[start] == '"')
    return read_quoted (text, pos, error);

  while (text[*pos] != '\0' && !is_space (text[*pos]))
    (*pos)++;

  return g_strndup (text + start, *pos - start);
}

/* Splits @value on '|' and looks each alternative up in @words; @offset is
 * where @value starts in the filter text. */
static gboolean
parse_word_mask (const char         *value,
                 gsize               offset,
                 const char * const *words,
                 guint               n_words,
                 guint              *mask,
                 GError            **error)
{
  const char *p = value;

  *mask = 0;
  for (;;)
    {
      const char *end = strchr (p, '|');
      gsize length = end != NULL ? (gsize)(end - p) : strlen (p);
      guint i;

      for (i = 0; i < n_words; i++)
        if (strlen (words[i]) == length && g_ascii_strncasecmp (words[i], p, length) == 0)
          break;

      if (i == n_words)
        {
          if (words == kind_words)
            set_syntax_error (error, (int)(offset + (gsize)(p - value)),
                              g_strdup (_("expected one of invoke, emit, event, channel, lifecycle")));
          else
            set_syntax_error (error, (int)(offset + (gsize)(p - value)),
                              g_strdup (_("expected one of ok, error, pending")));
          return FALSE;
        }

      *mask |= 1u << i;
      if (end == NULL)
        break;
      p = end + 1;
    }

  return TRUE;
}

static GArray *
compile_globs (const char *value,
               gboolean    alternatives)
{
  GArray *globs = g_array_new (FALSE, TRUE, sizeof (Glob));
  const char *p = value;

  g_array_set_clear_func (globs, (GDestroyNotify)glob_clear);

  for (;;)
    {
      const char *end = alternatives ? strchr (p, '|') : NULL;
      gsize length = end != NULL ? (gsize)(end - p) : strlen (p);
      Glob glob = { 0 };

      glob_compile (&glob, p, length);
      g_array_append_val (globs, glob);
      if (end == NULL)
        break;
      p = end + 1;
    }

  return globs;
}

/* Reads a decimal number (digits, optionally a fraction). */
static gboolean
read_number (const char *text,
             gsize      *pos,
             double     *value)
{
  gsize start = *pos;
  gsize i = start;
  double number = 0;
  double scale = 0.1;

  while (g_ascii_isdigit (text[i]))
    number = number * 10 + (text[i++] - '0');

  if (text[i] == '.' && g_ascii_isdigit (text[i + 1]))
    {
      i++;
      while (g_ascii_isdigit (text[i]))
        {
          number += (text[i++] - '0') * scale;
          scale /= 10;
        }
    }

  if (i == start)
    return FALSE;

  *pos = i;
  *value = number;
  return TRUE;
}

/* The unit @text starts with, ending at a space or the end. */
static gboolean
unit_is (const char *text,
         gsize       length,
         const char *unit)
{
  return strlen (unit) == length && g_ascii_strncasecmp (text, unit, length) == 0;
}

static gboolean
parse_comparison (Term        *term,
                  const char  *text,
                  gsize       *pos,
                  GError     **error)
{
  gsize i = *pos;
  gsize value_start;
  gsize unit_start;
  gsize unit_length;
  double number;
  double factor;
  gboolean is_duration = term->type == TERM_DURATION;

  if (text[i] == '>' && text[i + 1] == '=')
    term->op = OP_GE, i += 2;
  else if (text[i] == '<' && text[i + 1] == '=')
    term->op = OP_LE, i += 2;
  else if (text[i] == '>')
    term->op = OP_GT, i++;
  else if (text[i] == '<')
    term->op = OP_LT, i++;
  else if (text[i] == '=')
    term->op = OP_EQ, i++;
  else
    {
      set_syntax_error (error, (int)i, g_strdup (_("expected a comparison: >, <, >=, <= or =")));
      return FALSE;
    }

  value_start = i;
  if (!read_number (text, &i, &number))
    goto bad_value;

  unit_start = i;
  while (text[i] != '\0' && !is_space (text[i]))
    i++;
  unit_length = i - unit_start;

  if (is_duration)
    {
      if (unit_is (text + unit_start, unit_length, "us") ||
          unit_is (text + unit_start, unit_length, "µs") ||
          unit_is (text + unit_start, unit_length, "μs"))
        factor = 1;
      else if (unit_is (text + unit_start, unit_length, "ms"))
        factor = 1000;
      else if (unit_is (text + unit_start, unit_length, "s"))
        factor = G_USEC_PER_SEC;
      else
        goto bad_value;
    }
  else
    {
      if (unit_length == 0 || unit_is (text + unit_start, unit_length, "b"))
        factor = 1;
      else if (unit_is (text + unit_start, unit_length, "k") ||
               unit_is (text + unit_start, unit_length, "kb") ||
               unit_is (text + unit_start, unit_length, "kib"))
        factor = 1024;
      else if (unit_is (text + unit_start, unit_length, "m") ||
               unit_is (text + unit_start, unit_length, "mb") ||
               unit_is (text + unit_start, unit_length, "mib"))
        factor = 1024 * 1024;
      else
        goto bad_value;
    }

  number = round (number * factor);
  if (number > (double)G_MAXINT64 / 2)
    goto bad_value;

  term->number = (gint64)number;
  *pos = i;
  return TRUE;

bad_value:
  if (is_duration)
    set_syntax_error (error, (int)value_start, g_strdup (_("expected a duration like 5ms")));
  else
    set_syntax_error (error, (int)value_start, g_strdup (_("expected a size like 64k")));
  return FALSE;
}

/* Parses one term at text[*pos] (not a space). */
static gboolean
parse_term (const char  *text,
            gsize       *pos,
            Term        *term,
            GError     **error)
{
  gsize start;
  gsize word_end;

  if (text[*pos] == '-')
    {
      term->negate = TRUE;
      (*pos)++;
      if (text[*pos] == '\0' || is_space (text[*pos]))
        {
          set_syntax_error (error, (int)*pos, g_strdup (_("expected a term after “-”")));
          return FALSE;
        }
    }

  start = *pos;
  if (text[start] == '"')
    {
      g_autofree char *quoted = read_quoted (text, pos, error);

      if (quoted == NULL)
        return FALSE;
      term->type = TERM_TEXT;
      term->text = g_ascii_strdown (quoted, -1);
      term->text_length = strlen (term->text);
      return TRUE;
    }

  word_end = start;
  while (g_ascii_isalpha (text[word_end]))
    word_end++;

  if (text[word_end] == ':')
    {
      for (guint k = 0; k < G_N_ELEMENTS (colon_keys); k++)
        {
          gsize value_start = word_end + 1;
          g_autofree char *value = NULL;

          if (!unit_is (text + start, word_end - start, colon_keys[k].name))
            continue;

          term->type = colon_keys[k].type;
          *pos = value_start;
          value = read_value (text, pos, error);
          if (value == NULL)
            return FALSE;

          if (*value == '\0' && term->type != TERM_EVENT)
            {
              set_syntax_error (error, (int)value_start,
                                g_strdup_printf (_("expected a value after “%s:”"),
                                                 colon_keys[k].name));
              return FALSE;
            }

          switch (term->type)
            {
            case TERM_KIND:
              return parse_word_mask (value, value_start, kind_words,
                                      G_N_ELEMENTS (kind_words), &term->mask, error);

            case TERM_STATUS:
              return parse_word_mask (value, value_start, status_words,
                                      G_N_ELEMENTS (status_words), &term->mask, error);

            case TERM_EVENT:
              if (*value != '\0')
                term->globs = compile_globs (value, FALSE);
              return TRUE;

            case TERM_VERDICT:
            case TERM_ERROR:
              term->globs = compile_globs (value, TRUE);
              return TRUE;

            case TERM_COMMAND:
            case TERM_WINDOW:
            default:
              term->globs = compile_globs (value, FALSE);
              return TRUE;
            }
        }
    }

  for (guint k = 0; k < G_N_ELEMENTS (compare_keys); k++)
    {
      if (!unit_is (text + start, word_end - start, compare_keys[k].name))
        continue;
      if (text[word_end] == '>' || text[word_end] == '<' ||
          text[word_end] == '=' || text[word_end] == ':')
        {
          term->type = compare_keys[k].type;
          *pos = word_end;
          return parse_comparison (term, text, pos, error);
        }
    }

  /* Free text: the whole word. */
  while (text[*pos] != '\0' && !is_space (text[*pos]))
    (*pos)++;
  term->type = TERM_TEXT;
  term->text = g_ascii_strdown (text + start, (gssize)(*pos - start));
  term->text_length = strlen (term->text);

  return TRUE;
}

/**
 * isthmus_filter_parse:
 * @text: (nullable): a filter expression
 * @error: return location for an %ISTHMUS_FILTER_ERROR
 *
 * Compiles @text. See isthmus-filter.h for the language.
 *
 * Returns: (transfer full) (nullable): the filter, or %NULL with @error
 *   set, whose offset isthmus_filter_error_get_offset() returns
 */
IsthmusFilter *
isthmus_filter_parse (const char  *text,
                      GError     **error)
{
  g_autoptr(IsthmusFilter) self = NULL;
  gsize pos = 0;

  if (text == NULL)
    text = "";

  self = g_new0 (IsthmusFilter, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->text = g_strdup (text);
  self->terms = g_array_new (FALSE, TRUE, sizeof (Term));
  g_array_set_clear_func (self->terms, (GDestroyNotify)term_clear);

  for (;;)
    {
      Term term = { 0 };

      while (is_space (text[pos]))
        pos++;
      if (text[pos] == '\0')
        break;

      if (!parse_term (text, &pos, &term, error))
        {
          term_clear (&term);
          return NULL;
        }
      g_array_append_val (self->terms, term);
    }

  return g_steal_pointer (&self);
}

IsthmusFilter *
isthmus_filter_ref (IsthmusFilter *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
isthmus_filter_unref (IsthmusFilter *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_array_unref (self->terms);
  g_free (self->text);
  g_free (self);
}

gboolean
isthmus_filter_is_empty (IsthmusFilter *self)
{
  return self == NULL || self->terms->len == 0;
}

const char *
isthmus_filter_get_text (IsthmusFilter *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->text;
}

static inline gboolean
compare (gint64    value,
         CompareOp op,
         gint64    number)
{
  switch (op)
    {
    case OP_LT:
      return value < number;
    case OP_LE:
      return value <= number;
    case OP_EQ:
      return value == number;
    case OP_GE:
      return value >= number;
    case OP_GT:
    default:
      return value > number;
    }
}

static const char *
acl_word (IsthmusExchange *exchange)
{
  IsthmusAclVerdict *verdict = isthmus_exchange_get_acl_verdict (exchange);

  if (verdict == NULL)
    return NULL;
  if (!isthmus_acl_verdict_get_checked (verdict))
    return "unchecked";
  return isthmus_acl_verdict_get_allowed (verdict) ? "allowed" : "denied";
}

static gboolean
term_matches (const Term      *term,
              IsthmusExchange *exchange)
{
  IsthmusExchangeKind kind;
  gint64 duration;

  switch (term->type)
    {
    case TERM_TEXT:
      return contains_nocase (isthmus_exchange_get_command (exchange), term->text, term->text_length) ||
             contains_nocase (isthmus_exchange_get_window_label (exchange), term->text, term->text_length) ||
             contains_nocase (isthmus_exchange_get_summary (exchange), term->text, term->text_length) ||
             contains_nocase (isthmus_exchange_get_error_code (exchange), term->text, term->text_length) ||
             contains_nocase (isthmus_exchange_get_note (exchange), term->text, term->text_length);

    case TERM_COMMAND:
      return globs_match (term->globs, isthmus_exchange_get_command (exchange));

    case TERM_EVENT:
      kind = isthmus_exchange_get_kind (exchange);
      if (kind != ISTHMUS_EXCHANGE_EMIT && kind != ISTHMUS_EXCHANGE_EVENT)
        return FALSE;
      return term->globs == NULL || globs_match (term->globs, isthmus_exchange_get_command (exchange));

    case TERM_WINDOW:
      return globs_match (term->globs, isthmus_exchange_get_window_label (exchange));

    case TERM_KIND:
      return (term->mask & (1u << isthmus_exchange_get_kind (exchange))) != 0;

    case TERM_STATUS:
      return (term->mask & (1u << isthmus_exchange_get_status (exchange))) != 0;

    case TERM_VERDICT:
      return globs_match (term->globs, isthmus_exchange_get_isolation_verdict (exchange)) ||
             globs_match (term->globs, acl_word (exchange));

    case TERM_ERROR:
      return globs_match (term->globs, isthmus_exchange_get_error_code (exchange));

    case TERM_DURATION:
      duration = isthmus_exchange_get_duration_us (exchange);
      return duration >= 0 && compare (duration, term->op, term->number);

    case TERM_SIZE:
      return compare ((gint64)(isthmus_exchange_get_request_size (exchange) +
                               isthmus_exchange_get_reply_size (exchange)),
                      term->op, term->number);

    case TERM_REQUEST_SIZE:
      return compare ((gint64)isthmus_exchange_get_request_size (exchange), term->op, term->number);

    case TERM_REPLY_SIZE:
      return compare ((gint64)isthmus_exchange_get_reply_size (exchange), term->op, term->number);

    default:
      return FALSE;
    }
}

/**
 * isthmus_filter_matches:
 * @self: (nullable): a filter; %NULL matches everything
 * @exchange: a record
 *
 * Returns: %TRUE when every term matches @exchange
 */
gboolean
isthmus_filter_matches (IsthmusFilter   *self,
                        IsthmusExchange *exchange)
{
  g_return_val_if_fail (ISTHMUS_IS_EXCHANGE (exchange), FALSE);

  if (self == NULL)
    return TRUE;

  for (guint i = 0; i < self->terms->len; i++)
    {
      const Term *term = &g_array_index (self->terms, Term, i);

      if (term_matches (term, exchange) == term->negate)
        return FALSE;
    }

  return TRUE;
}
