/* test_lexer: the token stream: indentation, implicit line joining, literals, keywords and contextual words. */
#include "lang/lexer.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

enum { MAX_TOKENS = 128 };

typedef struct Lexed {
    Token toks[MAX_TOKENS];
    int count;
    Diags diags;
} Lexed;

static void lex_all(Lexed *out, const char *src)
{
    diags_init(&out->diags, "t.lsc");
    Lexer *lx = lexer_create(src, strlen(src), (SrcPos){1, 1}, false, &out->diags);
    out->count = 0;
    do {
        assert_true(out->count < MAX_TOKENS);
        lexer_next(lx, &out->toks[out->count]);
    } while (out->toks[out->count++].kind != T_EOF);
    lexer_destroy(lx);
}

static void lexed_finish(Lexed *l)
{
    for (int i = 0; i < l->count; i++)
        token_finish(&l->toks[i]);
    diags_finish(&l->diags);
}

static void expect_kinds(const Lexed *l, const TokKind *kinds, int n)
{
    for (int i = 0; i < n && i < l->count; i++)
        if (l->toks[i].kind != kinds[i])
            fail_msg("token %d: got %s, expected %s", i, lexer_kind_text(l->toks[i].kind), lexer_kind_text(kinds[i]));
    assert_int_equal(l->count, n);
}

static void test_indentation(void **state)
{
    (void)state;
    Lexed l;
    lex_all(&l, "main:\n    if x:\n        pass\n\n    # comment\n    y = 1\nlock m\n");
    const TokKind want[] = {T_MAIN,  T_COLON, T_NEWLINE, T_INDENT,  T_IF,     T_NAME,  T_COLON, T_NEWLINE,
                            T_INDENT, T_PASS, T_NEWLINE, T_DEDENT,  T_NAME,   T_ASSIGN, T_INT,  T_NEWLINE,
                            T_DEDENT, T_NAME, T_NAME,    T_NEWLINE, T_EOF};
    expect_kinds(&l, want, (int)(sizeof want / sizeof want[0]));
    assert_int_equal(l.diags.count, 0);
    assert_int_equal(l.toks[12].pos.line, 6); /* y */
    assert_int_equal(l.toks[12].pos.col, 5);
    lexed_finish(&l);
}

static void test_dedents_at_eof(void **state)
{
    (void)state;
    Lexed l;
    lex_all(&l, "def f():\n    while 1:\n        x = 1");
    const TokKind want[] = {T_DEF,    T_NAME,   T_LPAREN, T_RPAREN, T_COLON,  T_NEWLINE, T_INDENT,
                            T_WHILE,  T_INT,    T_COLON,  T_NEWLINE, T_INDENT, T_NAME,    T_ASSIGN,
                            T_INT,    T_NEWLINE, T_DEDENT, T_DEDENT, T_EOF};
    expect_kinds(&l, want, (int)(sizeof want / sizeof want[0]));
    lexed_finish(&l);
}

static void test_line_joining(void **state)
{
    (void)state;
    Lexed l;
    lex_all(&l, "x = min(1,\n        2) + [3,\n4]\n");
    const TokKind want[] = {T_NAME, T_ASSIGN, T_NAME,  T_LPAREN, T_INT,      T_COMMA,   T_INT, T_RPAREN,
                            T_PLUS, T_LBRACKET, T_INT, T_COMMA,  T_INT,      T_RBRACKET, T_NEWLINE, T_EOF};
    expect_kinds(&l, want, (int)(sizeof want / sizeof want[0]));
    assert_int_equal(l.diags.count, 0);
    assert_int_equal(l.toks[6].pos.line, 2);
    assert_int_equal(l.toks[6].pos.col, 9);
    lexed_finish(&l);
}

static void test_literals(void **state)
{
    (void)state;
    Lexed l;
    lex_all(&l, "1_000 007 \"a\\\"b\\n\\t\\\\\" \"\"\"two\nlines\"\"\" 100..400\n");
    assert_int_equal(l.toks[0].kind, T_INT);
    assert_int_equal(l.toks[0].ival, 1000);
    assert_int_equal(l.toks[1].ival, 7);
    assert_int_equal(l.toks[2].kind, T_STRING);
    assert_string_equal(l.toks[2].text, "a\"b\n\t\\");
    assert_false(l.toks[2].triple);
    assert_int_equal(l.toks[3].kind, T_STRING);
    assert_true(l.toks[3].triple);
    assert_string_equal(l.toks[3].text, "two\nlines");
    assert_int_equal(l.toks[4].kind, T_INT);
    assert_int_equal(l.toks[4].pos.line, 2);
    assert_int_equal(l.toks[5].kind, T_DOTDOT);
    assert_int_equal(l.toks[6].ival, 400);
    assert_int_equal(l.diags.count, 0);
    lexed_finish(&l);
}

static void test_keywords_and_operators(void **state)
{
    (void)state;
    Lexed l;
    lex_all(&l, "if elif else while for in break continue pass return with def main start say expect invariant "
                "assert and or not True False lock ms s yes scenario + - * // % == != < <= > >= = += -= *= . |\n");
    const TokKind want[] = {T_IF,      T_ELIF,   T_ELSE,   T_WHILE,   T_FOR,    T_IN,        T_BREAK,  T_CONTINUE,
                            T_PASS,    T_RETURN, T_WITH,   T_DEF,     T_MAIN,   T_START,     T_SAY,    T_EXPECT,
                            T_INVARIANT, T_ASSERT, T_AND,  T_OR,      T_NOT,    T_TRUE,      T_FALSE,  T_NAME,
                            T_NAME,    T_NAME,   T_NAME,   T_NAME,    T_PLUS,   T_MINUS,     T_STAR,   T_SLASHSLASH,
                            T_PERCENT, T_EQEQ,   T_NE,     T_LT,      T_LE,     T_GT,        T_GE,     T_ASSIGN,
                            T_PLUSEQ,  T_MINUSEQ, T_STAREQ, T_DOT,    T_BAR,    T_NEWLINE,   T_EOF};
    expect_kinds(&l, want, (int)(sizeof want / sizeof want[0]));
    assert_string_equal(l.toks[23].text, "lock");
    lexed_finish(&l);
}

static void test_errors_make_error_tokens(void **state)
{
    (void)state;
    Lexed l;
    lex_all(&l, "x = 1 / 2\ny = \"open\nz = 3\n");
    assert_int_equal(l.toks[3].kind, T_ERROR);
    assert_int_equal(l.toks[4].kind, T_NEWLINE);
    assert_int_equal(l.toks[7].kind, T_ERROR);
    assert_int_equal(l.toks[9].kind, T_NAME); /* z: lexing resumes on the next line */
    assert_int_equal(l.toks[9].pos.line, 3);
    assert_int_equal(l.diags.count, 2);
    assert_string_equal(l.diags.items[0].message, "use // for integer division ('/' alone is not an operator)");
    assert_int_equal(l.diags.items[1].col, 5);
    lexed_finish(&l);
}

static void test_expression_mode(void **state)
{
    (void)state;
    Diags d;
    diags_init(&d, "t.lsc");
    const char *text = "n + 1";
    Lexer *lx = lexer_create(text, strlen(text), (SrcPos){7, 20}, true, &d);
    Token t;
    lexer_next(lx, &t);
    assert_int_equal(t.kind, T_NAME);
    assert_int_equal(t.pos.line, 7);
    assert_int_equal(t.pos.col, 20);
    token_finish(&t);
    lexer_next(lx, &t);
    assert_int_equal(t.pos.col, 22);
    lexer_next(lx, &t);
    lexer_next(lx, &t);
    assert_int_equal(t.kind, T_EOF);
    lexer_destroy(lx);
    diags_finish(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_indentation),      cmocka_unit_test(test_dedents_at_eof),
        cmocka_unit_test(test_line_joining),     cmocka_unit_test(test_literals),
        cmocka_unit_test(test_keywords_and_operators), cmocka_unit_test(test_errors_make_error_tokens),
        cmocka_unit_test(test_expression_mode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
