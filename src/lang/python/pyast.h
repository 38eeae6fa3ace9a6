/* pyast: the syntax tree of a Python file, as pyparse reads it, before pylower turns it into a scenario Program.
 *
 * One node type for everything keeps the tree small: a kind, a position, a name or text, a number, up to three
 * children (a, b, c) and two lists (kids, body/orelse for blocks). The parser accepts more of Python than lockstep
 * runs, so that pylower can refuse a construct by name at its position instead of giving a bare syntax error. */
#ifndef LOCKSTEP_PYAST_H
#define LOCKSTEP_PYAST_H

#include "lang/ast.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct PyNode PyNode;

typedef struct PyList {
    PyNode **items;
    int count;
} PyList;

typedef enum PyKind {
    /* expressions */
    PN_INT,       /* ival (True/False too, with is_bool) */
    PN_FLOAT,     /* fval */
    PN_STR,       /* text; fstring: raw/rawlen/rawpos locate the body */
    PN_NONE,
    PN_NAME,      /* name */
    PN_ATTR,      /* a.name */
    PN_CALL,      /* a(kids): keyword arguments have kw set */
    PN_INDEX,     /* a[b] */
    PN_SLICE,     /* a[b:c] (refused) */
    PN_BINOP,     /* a op b: op is the operator text */
    PN_UNARY,     /* op a: "-", "+", "not", "~" */
    PN_BOOLOP,    /* a op b: "and" / "or" */
    PN_COMPARE,   /* kids are operands, ops[i] between kids[i] and kids[i+1] */
    PN_LIST,      /* [kids] */
    PN_TUPLE,     /* (kids) or a, b */
    PN_LISTCOMP,  /* [a for name in b] (c: an `if` filter, refused) */
    PN_DICT,      /* {..} with ':' (refused) */
    PN_SET,       /* {..} (refused) */
    PN_LAMBDA,    /* (refused) */
    PN_IFEXP,     /* a if b else c (refused) */
    PN_STARRED,   /* *a (refused) */
    /* statements */
    PN_EXPR,      /* a */
    PN_ASSIGN,    /* kids = targets (a chain a = b = v has two), a = value */
    PN_AUGASSIGN, /* a op= b, op is "+=" ... */
    PN_IF,        /* if a: body else: orelse (elif: a PN_IF alone in orelse) */
    PN_WHILE,     /* while a: body */
    PN_FOR,       /* for a in b: body */
    PN_WITH,      /* with kids: body; a with `as` has b set on the item (refused) */
    PN_DEF,       /* def name(params): body */
    PN_CLASS,     /* class name(kids): body */
    PN_RETURN,    /* return [a] */
    PN_BREAK, PN_CONTINUE, PN_PASS,
    PN_GLOBAL,    /* global names (in params) */
    PN_IMPORT,    /* import name [as alias] (one per node) */
    PN_FROM,      /* from name import params (aliases in aliases, NULL when none) */
    PN_ASSERT,    /* assert a[, b] */
    PN_PRINT2,    /* Python 2 print statement: kids */
    PN_UNSUPPORTED, /* a statement lockstep does not run: name says which ("try", "raise", ...) */
} PyKind;

struct PyNode {
    PyKind kind;
    SrcPos pos;
    char *name;     /* PN_NAME/ATTR/DEF/CLASS/FROM/IMPORT/LISTCOMP variable; PN_UNSUPPORTED: the construct */
    char *text;     /* PN_STR */
    char *op;       /* operator text */
    char *kw;       /* a call argument given as kw=value */
    int64_t ival;
    double fval;
    bool is_bool;
    bool fstring;
    size_t raw, rawlen;
    SrcPos rawpos;
    PyNode *a, *b, *c;
    PyList kids;
    char **ops;     /* PN_COMPARE */
    char **params;  /* PN_DEF parameters, PN_GLOBAL / PN_FROM names */
    char **aliases; /* PN_FROM / PN_IMPORT: the `as` names (NULL entries when none) */
    int nparams;
    bool has_defaults; /* PN_DEF: a parameter had a default value or was *args (refused) */
    PyList body, orelse;
};

PyNode *pyast_new(PyKind kind, SrcPos pos);
void pyast_free(PyNode *n);
void pyast_list_free(PyList *l);
void pyast_push(PyList *l, PyNode *n);

/* Rewriting a tree (classes and objects passed as arguments, pyclass.c). */
PyNode *pyast_clone(const PyNode *n); /* a deep copy; NULL for NULL */
void pyast_rename(PyNode *n, const char *from, const char *to); /* every name `from` in the subtree becomes `to` */
bool pyast_mentions(const PyNode *n, const char *name);         /* is `name` a name anywhere in the subtree? */
void pyast_substitute(PyNode *n, const char *from, const PyNode *value); /* ... becomes a copy of value */

#endif
