package parse

import (
	"fmt"

	"github.com/google/go-jsonnet/ast"
)

// checker does go-jsonnet's static analysis of a desugared tree: every variable is bound,
// self and super appear only inside objects.
type checker struct {
	// bound counts the bindings of each name in scope.
	bound map[ast.Identifier]int
}

// check fails when node has a static error; a file starts with std and $std bound.
func check(node ast.Node) {
	c := &checker{bound: map[ast.Identifier]int{"std": 1, "$std": 1}}
	c.visit(node, false)
}

func (c *checker) bind(names ...ast.Identifier) {
	for _, n := range names {
		c.bound[n]++
	}
}

func (c *checker) unbind(names ...ast.Identifier) {
	for _, n := range names {
		c.bound[n]--
	}
}

func (c *checker) bindLocals(binds ast.LocalBinds, inObject bool) {
	for _, b := range binds {
		c.bound[b.Variable]++
	}
	for _, b := range binds {
		c.visit(b.Body, inObject)
	}
}

func (c *checker) unbindLocals(binds ast.LocalBinds) {
	for _, b := range binds {
		c.bound[b.Variable]--
	}
}

func (c *checker) visit(node ast.Node, inObject bool) {
	switch n := node.(type) {
	case *ast.Var:
		if c.bound[n.Id] == 0 {
			panic(&SyntaxError{Message: fmt.Sprintf("Unknown variable: %s", n.Id)})
		}
	case *ast.Self:
		if !inObject {
			panic(&SyntaxError{Message: "Can't use self outside of an object."})
		}
	case *ast.SuperIndex:
		if !inObject {
			panic(&SyntaxError{Message: "Can't use super outside of an object."})
		}
		c.visit(n.Index, inObject)
	case *ast.InSuper:
		if !inObject {
			panic(&SyntaxError{Message: "Can't use super outside of an object."})
		}
		c.visit(n.Index, inObject)
	case *ast.LiteralNull, *ast.LiteralBoolean, *ast.LiteralNumber, *ast.LiteralString,
		*ast.Import, *ast.ImportStr, *ast.ImportBin:
	case *ast.Apply:
		c.visit(n.Target, inObject)
		for _, a := range n.Arguments.Positional {
			c.visit(a.Expr, inObject)
		}
		for _, a := range n.Arguments.Named {
			c.visit(a.Arg, inObject)
		}
	case *ast.Array:
		for _, e := range n.Elements {
			c.visit(e.Expr, inObject)
		}
	case *ast.Binary:
		c.visit(n.Left, inObject)
		c.visit(n.Right, inObject)
	case *ast.Unary:
		c.visit(n.Expr, inObject)
	case *ast.Conditional:
		c.visit(n.Cond, inObject)
		c.visit(n.BranchTrue, inObject)
		c.visit(n.BranchFalse, inObject)
	case *ast.Error:
		c.visit(n.Expr, inObject)
	case *ast.Index:
		c.visit(n.Target, inObject)
		c.visit(n.Index, inObject)
	case *ast.Function:
		for _, p := range n.Parameters {
			c.bind(p.Name)
		}
		for _, p := range n.Parameters {
			if p.DefaultArg != nil {
				c.visit(p.DefaultArg, inObject)
			}
		}
		c.visit(n.Body, inObject)
		for _, p := range n.Parameters {
			c.unbind(p.Name)
		}
	case *ast.Local:
		c.bindLocals(n.Binds, inObject)
		c.visit(n.Body, inObject)
		c.unbindLocals(n.Binds)
	case *ast.DesugaredObject:
		c.bindLocals(n.Locals, true)
		for _, f := range n.Fields {
			c.visit(f.Body, true)
		}
		for _, a := range n.Asserts {
			c.visit(a, true)
		}
		c.unbindLocals(n.Locals)
		// Field names are evaluated outside the object.
		for _, f := range n.Fields {
			c.visit(f.Name, inObject)
		}
	default:
		panic(&SyntaxError{Message: fmt.Sprintf("unexpected node %T", node)})
	}
}
