#!/usr/bin/env node
import { createRequire as __krRequire } from 'node:module'; const require = __krRequire(import.meta.url);
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __require = /* @__PURE__ */ ((x) => typeof require !== "undefined" ? require : typeof Proxy !== "undefined" ? new Proxy(x, {
  get: (a, b) => (typeof require !== "undefined" ? require : a)[b]
}) : x)(function(x) {
  if (typeof require !== "undefined") return require.apply(this, arguments);
  throw Error('Dynamic require of "' + x + '" is not supported');
});
var __commonJS = (cb, mod) => function __require2() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// node_modules/ajv/dist/compile/codegen/code.js
var require_code = __commonJS({
  "node_modules/ajv/dist/compile/codegen/code.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.regexpCode = exports.getEsmExportName = exports.getProperty = exports.safeStringify = exports.stringify = exports.strConcat = exports.addCodeArg = exports.str = exports._ = exports.nil = exports._Code = exports.Name = exports.IDENTIFIER = exports._CodeOrName = void 0;
    var _CodeOrName = class {
    };
    exports._CodeOrName = _CodeOrName;
    exports.IDENTIFIER = /^[a-z$_][a-z$_0-9]*$/i;
    var Name = class extends _CodeOrName {
      constructor(s) {
        super();
        if (!exports.IDENTIFIER.test(s))
          throw new Error("CodeGen: name must be a valid identifier");
        this.str = s;
      }
      toString() {
        return this.str;
      }
      emptyStr() {
        return false;
      }
      get names() {
        return { [this.str]: 1 };
      }
    };
    exports.Name = Name;
    var _Code = class extends _CodeOrName {
      constructor(code2) {
        super();
        this._items = typeof code2 === "string" ? [code2] : code2;
      }
      toString() {
        return this.str;
      }
      emptyStr() {
        if (this._items.length > 1)
          return false;
        const item = this._items[0];
        return item === "" || item === '""';
      }
      get str() {
        var _a;
        return (_a = this._str) !== null && _a !== void 0 ? _a : this._str = this._items.reduce((s, c) => `${s}${c}`, "");
      }
      get names() {
        var _a;
        return (_a = this._names) !== null && _a !== void 0 ? _a : this._names = this._items.reduce((names, c) => {
          if (c instanceof Name)
            names[c.str] = (names[c.str] || 0) + 1;
          return names;
        }, {});
      }
    };
    exports._Code = _Code;
    exports.nil = new _Code("");
    function _(strs, ...args) {
      const code2 = [strs[0]];
      let i = 0;
      while (i < args.length) {
        addCodeArg(code2, args[i]);
        code2.push(strs[++i]);
      }
      return new _Code(code2);
    }
    exports._ = _;
    var plus = new _Code("+");
    function str(strs, ...args) {
      const expr = [safeStringify(strs[0])];
      let i = 0;
      while (i < args.length) {
        expr.push(plus);
        addCodeArg(expr, args[i]);
        expr.push(plus, safeStringify(strs[++i]));
      }
      optimize(expr);
      return new _Code(expr);
    }
    exports.str = str;
    function addCodeArg(code2, arg) {
      if (arg instanceof _Code)
        code2.push(...arg._items);
      else if (arg instanceof Name)
        code2.push(arg);
      else
        code2.push(interpolate(arg));
    }
    exports.addCodeArg = addCodeArg;
    function optimize(expr) {
      let i = 1;
      while (i < expr.length - 1) {
        if (expr[i] === plus) {
          const res = mergeExprItems(expr[i - 1], expr[i + 1]);
          if (res !== void 0) {
            expr.splice(i - 1, 3, res);
            continue;
          }
          expr[i++] = "+";
        }
        i++;
      }
    }
    function mergeExprItems(a, b) {
      if (b === '""')
        return a;
      if (a === '""')
        return b;
      if (typeof a == "string") {
        if (b instanceof Name || a[a.length - 1] !== '"')
          return;
        if (typeof b != "string")
          return `${a.slice(0, -1)}${b}"`;
        if (b[0] === '"')
          return a.slice(0, -1) + b.slice(1);
        return;
      }
      if (typeof b == "string" && b[0] === '"' && !(a instanceof Name))
        return `"${a}${b.slice(1)}`;
      return;
    }
    function strConcat(c1, c2) {
      return c2.emptyStr() ? c1 : c1.emptyStr() ? c2 : str`${c1}${c2}`;
    }
    exports.strConcat = strConcat;
    function interpolate(x) {
      return typeof x == "number" || typeof x == "boolean" || x === null ? x : safeStringify(Array.isArray(x) ? x.join(",") : x);
    }
    function stringify(x) {
      return new _Code(safeStringify(x));
    }
    exports.stringify = stringify;
    function safeStringify(x) {
      return JSON.stringify(x).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
    }
    exports.safeStringify = safeStringify;
    function getProperty(key) {
      return typeof key == "string" && exports.IDENTIFIER.test(key) ? new _Code(`.${key}`) : _`[${key}]`;
    }
    exports.getProperty = getProperty;
    function getEsmExportName(key) {
      if (typeof key == "string" && exports.IDENTIFIER.test(key)) {
        return new _Code(`${key}`);
      }
      throw new Error(`CodeGen: invalid export name: ${key}, use explicit $id name mapping`);
    }
    exports.getEsmExportName = getEsmExportName;
    function regexpCode(rx) {
      return new _Code(rx.toString());
    }
    exports.regexpCode = regexpCode;
  }
});

// node_modules/ajv/dist/compile/codegen/scope.js
var require_scope = __commonJS({
  "node_modules/ajv/dist/compile/codegen/scope.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.ValueScope = exports.ValueScopeName = exports.Scope = exports.varKinds = exports.UsedValueState = void 0;
    var code_1 = require_code();
    var ValueError = class extends Error {
      constructor(name) {
        super(`CodeGen: "code" for ${name} not defined`);
        this.value = name.value;
      }
    };
    var UsedValueState;
    (function(UsedValueState2) {
      UsedValueState2[UsedValueState2["Started"] = 0] = "Started";
      UsedValueState2[UsedValueState2["Completed"] = 1] = "Completed";
    })(UsedValueState || (exports.UsedValueState = UsedValueState = {}));
    exports.varKinds = {
      const: new code_1.Name("const"),
      let: new code_1.Name("let"),
      var: new code_1.Name("var")
    };
    var Scope = class {
      constructor({ prefixes, parent } = {}) {
        this._names = {};
        this._prefixes = prefixes;
        this._parent = parent;
      }
      toName(nameOrPrefix) {
        return nameOrPrefix instanceof code_1.Name ? nameOrPrefix : this.name(nameOrPrefix);
      }
      name(prefix) {
        return new code_1.Name(this._newName(prefix));
      }
      _newName(prefix) {
        const ng = this._names[prefix] || this._nameGroup(prefix);
        return `${prefix}${ng.index++}`;
      }
      _nameGroup(prefix) {
        var _a, _b;
        if (((_b = (_a = this._parent) === null || _a === void 0 ? void 0 : _a._prefixes) === null || _b === void 0 ? void 0 : _b.has(prefix)) || this._prefixes && !this._prefixes.has(prefix)) {
          throw new Error(`CodeGen: prefix "${prefix}" is not allowed in this scope`);
        }
        return this._names[prefix] = { prefix, index: 0 };
      }
    };
    exports.Scope = Scope;
    var ValueScopeName = class extends code_1.Name {
      constructor(prefix, nameStr) {
        super(nameStr);
        this.prefix = prefix;
      }
      setValue(value, { property, itemIndex: itemIndex2 }) {
        this.value = value;
        this.scopePath = (0, code_1._)`.${new code_1.Name(property)}[${itemIndex2}]`;
      }
    };
    exports.ValueScopeName = ValueScopeName;
    var line = (0, code_1._)`\n`;
    var ValueScope = class extends Scope {
      constructor(opts) {
        super(opts);
        this._values = {};
        this._scope = opts.scope;
        this.opts = { ...opts, _n: opts.lines ? line : code_1.nil };
      }
      get() {
        return this._scope;
      }
      name(prefix) {
        return new ValueScopeName(prefix, this._newName(prefix));
      }
      value(nameOrPrefix, value) {
        var _a;
        if (value.ref === void 0)
          throw new Error("CodeGen: ref must be passed in value");
        const name = this.toName(nameOrPrefix);
        const { prefix } = name;
        const valueKey = (_a = value.key) !== null && _a !== void 0 ? _a : value.ref;
        let vs = this._values[prefix];
        if (vs) {
          const _name = vs.get(valueKey);
          if (_name)
            return _name;
        } else {
          vs = this._values[prefix] = /* @__PURE__ */ new Map();
        }
        vs.set(valueKey, name);
        const s = this._scope[prefix] || (this._scope[prefix] = []);
        const itemIndex2 = s.length;
        s[itemIndex2] = value.ref;
        name.setValue(value, { property: prefix, itemIndex: itemIndex2 });
        return name;
      }
      getValue(prefix, keyOrRef) {
        const vs = this._values[prefix];
        if (!vs)
          return;
        return vs.get(keyOrRef);
      }
      scopeRefs(scopeName, values = this._values) {
        return this._reduceValues(values, (name) => {
          if (name.scopePath === void 0)
            throw new Error(`CodeGen: name "${name}" has no value`);
          return (0, code_1._)`${scopeName}${name.scopePath}`;
        });
      }
      scopeCode(values = this._values, usedValues, getCode) {
        return this._reduceValues(values, (name) => {
          if (name.value === void 0)
            throw new Error(`CodeGen: name "${name}" has no value`);
          return name.value.code;
        }, usedValues, getCode);
      }
      _reduceValues(values, valueCode, usedValues = {}, getCode) {
        let code2 = code_1.nil;
        for (const prefix in values) {
          const vs = values[prefix];
          if (!vs)
            continue;
          const nameSet = usedValues[prefix] = usedValues[prefix] || /* @__PURE__ */ new Map();
          vs.forEach((name) => {
            if (nameSet.has(name))
              return;
            nameSet.set(name, UsedValueState.Started);
            let c = valueCode(name);
            if (c) {
              const def = this.opts.es5 ? exports.varKinds.var : exports.varKinds.const;
              code2 = (0, code_1._)`${code2}${def} ${name} = ${c};${this.opts._n}`;
            } else if (c = getCode === null || getCode === void 0 ? void 0 : getCode(name)) {
              code2 = (0, code_1._)`${code2}${c}${this.opts._n}`;
            } else {
              throw new ValueError(name);
            }
            nameSet.set(name, UsedValueState.Completed);
          });
        }
        return code2;
      }
    };
    exports.ValueScope = ValueScope;
  }
});

// node_modules/ajv/dist/compile/codegen/index.js
var require_codegen = __commonJS({
  "node_modules/ajv/dist/compile/codegen/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.or = exports.and = exports.not = exports.CodeGen = exports.operators = exports.varKinds = exports.ValueScopeName = exports.ValueScope = exports.Scope = exports.Name = exports.regexpCode = exports.stringify = exports.getProperty = exports.nil = exports.strConcat = exports.str = exports._ = void 0;
    var code_1 = require_code();
    var scope_1 = require_scope();
    var code_2 = require_code();
    Object.defineProperty(exports, "_", { enumerable: true, get: function() {
      return code_2._;
    } });
    Object.defineProperty(exports, "str", { enumerable: true, get: function() {
      return code_2.str;
    } });
    Object.defineProperty(exports, "strConcat", { enumerable: true, get: function() {
      return code_2.strConcat;
    } });
    Object.defineProperty(exports, "nil", { enumerable: true, get: function() {
      return code_2.nil;
    } });
    Object.defineProperty(exports, "getProperty", { enumerable: true, get: function() {
      return code_2.getProperty;
    } });
    Object.defineProperty(exports, "stringify", { enumerable: true, get: function() {
      return code_2.stringify;
    } });
    Object.defineProperty(exports, "regexpCode", { enumerable: true, get: function() {
      return code_2.regexpCode;
    } });
    Object.defineProperty(exports, "Name", { enumerable: true, get: function() {
      return code_2.Name;
    } });
    var scope_2 = require_scope();
    Object.defineProperty(exports, "Scope", { enumerable: true, get: function() {
      return scope_2.Scope;
    } });
    Object.defineProperty(exports, "ValueScope", { enumerable: true, get: function() {
      return scope_2.ValueScope;
    } });
    Object.defineProperty(exports, "ValueScopeName", { enumerable: true, get: function() {
      return scope_2.ValueScopeName;
    } });
    Object.defineProperty(exports, "varKinds", { enumerable: true, get: function() {
      return scope_2.varKinds;
    } });
    exports.operators = {
      GT: new code_1._Code(">"),
      GTE: new code_1._Code(">="),
      LT: new code_1._Code("<"),
      LTE: new code_1._Code("<="),
      EQ: new code_1._Code("==="),
      NEQ: new code_1._Code("!=="),
      NOT: new code_1._Code("!"),
      OR: new code_1._Code("||"),
      AND: new code_1._Code("&&"),
      ADD: new code_1._Code("+")
    };
    var Node = class {
      optimizeNodes() {
        return this;
      }
      optimizeNames(_names, _constants) {
        return this;
      }
    };
    var Def = class extends Node {
      constructor(varKind, name, rhs) {
        super();
        this.varKind = varKind;
        this.name = name;
        this.rhs = rhs;
      }
      render({ es5, _n }) {
        const varKind = es5 ? scope_1.varKinds.var : this.varKind;
        const rhs = this.rhs === void 0 ? "" : ` = ${this.rhs}`;
        return `${varKind} ${this.name}${rhs};` + _n;
      }
      optimizeNames(names, constants3) {
        if (!names[this.name.str])
          return;
        if (this.rhs)
          this.rhs = optimizeExpr(this.rhs, names, constants3);
        return this;
      }
      get names() {
        return this.rhs instanceof code_1._CodeOrName ? this.rhs.names : {};
      }
    };
    var Assign = class extends Node {
      constructor(lhs, rhs, sideEffects) {
        super();
        this.lhs = lhs;
        this.rhs = rhs;
        this.sideEffects = sideEffects;
      }
      render({ _n }) {
        return `${this.lhs} = ${this.rhs};` + _n;
      }
      optimizeNames(names, constants3) {
        if (this.lhs instanceof code_1.Name && !names[this.lhs.str] && !this.sideEffects)
          return;
        this.rhs = optimizeExpr(this.rhs, names, constants3);
        return this;
      }
      get names() {
        const names = this.lhs instanceof code_1.Name ? {} : { ...this.lhs.names };
        return addExprNames(names, this.rhs);
      }
    };
    var AssignOp = class extends Assign {
      constructor(lhs, op, rhs, sideEffects) {
        super(lhs, rhs, sideEffects);
        this.op = op;
      }
      render({ _n }) {
        return `${this.lhs} ${this.op}= ${this.rhs};` + _n;
      }
    };
    var Label = class extends Node {
      constructor(label) {
        super();
        this.label = label;
        this.names = {};
      }
      render({ _n }) {
        return `${this.label}:` + _n;
      }
    };
    var Break = class extends Node {
      constructor(label) {
        super();
        this.label = label;
        this.names = {};
      }
      render({ _n }) {
        const label = this.label ? ` ${this.label}` : "";
        return `break${label};` + _n;
      }
    };
    var Throw = class extends Node {
      constructor(error) {
        super();
        this.error = error;
      }
      render({ _n }) {
        return `throw ${this.error};` + _n;
      }
      get names() {
        return this.error.names;
      }
    };
    var AnyCode = class extends Node {
      constructor(code2) {
        super();
        this.code = code2;
      }
      render({ _n }) {
        return `${this.code};` + _n;
      }
      optimizeNodes() {
        return `${this.code}` ? this : void 0;
      }
      optimizeNames(names, constants3) {
        this.code = optimizeExpr(this.code, names, constants3);
        return this;
      }
      get names() {
        return this.code instanceof code_1._CodeOrName ? this.code.names : {};
      }
    };
    var ParentNode = class extends Node {
      constructor(nodes = []) {
        super();
        this.nodes = nodes;
      }
      render(opts) {
        return this.nodes.reduce((code2, n) => code2 + n.render(opts), "");
      }
      optimizeNodes() {
        const { nodes } = this;
        let i = nodes.length;
        while (i--) {
          const n = nodes[i].optimizeNodes();
          if (Array.isArray(n))
            nodes.splice(i, 1, ...n);
          else if (n)
            nodes[i] = n;
          else
            nodes.splice(i, 1);
        }
        return nodes.length > 0 ? this : void 0;
      }
      optimizeNames(names, constants3) {
        const { nodes } = this;
        let i = nodes.length;
        while (i--) {
          const n = nodes[i];
          if (n.optimizeNames(names, constants3))
            continue;
          subtractNames(names, n.names);
          nodes.splice(i, 1);
        }
        return nodes.length > 0 ? this : void 0;
      }
      get names() {
        return this.nodes.reduce((names, n) => addNames(names, n.names), {});
      }
    };
    var BlockNode = class extends ParentNode {
      render(opts) {
        return "{" + opts._n + super.render(opts) + "}" + opts._n;
      }
    };
    var Root = class extends ParentNode {
    };
    var Else = class extends BlockNode {
    };
    Else.kind = "else";
    var If = class _If extends BlockNode {
      constructor(condition, nodes) {
        super(nodes);
        this.condition = condition;
      }
      render(opts) {
        let code2 = `if(${this.condition})` + super.render(opts);
        if (this.else)
          code2 += "else " + this.else.render(opts);
        return code2;
      }
      optimizeNodes() {
        super.optimizeNodes();
        const cond = this.condition;
        if (cond === true)
          return this.nodes;
        let e = this.else;
        if (e) {
          const ns = e.optimizeNodes();
          e = this.else = Array.isArray(ns) ? new Else(ns) : ns;
        }
        if (e) {
          if (cond === false)
            return e instanceof _If ? e : e.nodes;
          if (this.nodes.length)
            return this;
          return new _If(not(cond), e instanceof _If ? [e] : e.nodes);
        }
        if (cond === false || !this.nodes.length)
          return void 0;
        return this;
      }
      optimizeNames(names, constants3) {
        var _a;
        this.else = (_a = this.else) === null || _a === void 0 ? void 0 : _a.optimizeNames(names, constants3);
        if (!(super.optimizeNames(names, constants3) || this.else))
          return;
        this.condition = optimizeExpr(this.condition, names, constants3);
        return this;
      }
      get names() {
        const names = super.names;
        addExprNames(names, this.condition);
        if (this.else)
          addNames(names, this.else.names);
        return names;
      }
    };
    If.kind = "if";
    var For = class extends BlockNode {
    };
    For.kind = "for";
    var ForLoop = class extends For {
      constructor(iteration) {
        super();
        this.iteration = iteration;
      }
      render(opts) {
        return `for(${this.iteration})` + super.render(opts);
      }
      optimizeNames(names, constants3) {
        if (!super.optimizeNames(names, constants3))
          return;
        this.iteration = optimizeExpr(this.iteration, names, constants3);
        return this;
      }
      get names() {
        return addNames(super.names, this.iteration.names);
      }
    };
    var ForRange = class extends For {
      constructor(varKind, name, from, to) {
        super();
        this.varKind = varKind;
        this.name = name;
        this.from = from;
        this.to = to;
      }
      render(opts) {
        const varKind = opts.es5 ? scope_1.varKinds.var : this.varKind;
        const { name, from, to } = this;
        return `for(${varKind} ${name}=${from}; ${name}<${to}; ${name}++)` + super.render(opts);
      }
      get names() {
        const names = addExprNames(super.names, this.from);
        return addExprNames(names, this.to);
      }
    };
    var ForIter = class extends For {
      constructor(loop, varKind, name, iterable) {
        super();
        this.loop = loop;
        this.varKind = varKind;
        this.name = name;
        this.iterable = iterable;
      }
      render(opts) {
        return `for(${this.varKind} ${this.name} ${this.loop} ${this.iterable})` + super.render(opts);
      }
      optimizeNames(names, constants3) {
        if (!super.optimizeNames(names, constants3))
          return;
        this.iterable = optimizeExpr(this.iterable, names, constants3);
        return this;
      }
      get names() {
        return addNames(super.names, this.iterable.names);
      }
    };
    var Func = class extends BlockNode {
      constructor(name, args, async) {
        super();
        this.name = name;
        this.args = args;
        this.async = async;
      }
      render(opts) {
        const _async = this.async ? "async " : "";
        return `${_async}function ${this.name}(${this.args})` + super.render(opts);
      }
    };
    Func.kind = "func";
    var Return = class extends ParentNode {
      render(opts) {
        return "return " + super.render(opts);
      }
    };
    Return.kind = "return";
    var Try = class extends BlockNode {
      render(opts) {
        let code2 = "try" + super.render(opts);
        if (this.catch)
          code2 += this.catch.render(opts);
        if (this.finally)
          code2 += this.finally.render(opts);
        return code2;
      }
      optimizeNodes() {
        var _a, _b;
        super.optimizeNodes();
        (_a = this.catch) === null || _a === void 0 ? void 0 : _a.optimizeNodes();
        (_b = this.finally) === null || _b === void 0 ? void 0 : _b.optimizeNodes();
        return this;
      }
      optimizeNames(names, constants3) {
        var _a, _b;
        super.optimizeNames(names, constants3);
        (_a = this.catch) === null || _a === void 0 ? void 0 : _a.optimizeNames(names, constants3);
        (_b = this.finally) === null || _b === void 0 ? void 0 : _b.optimizeNames(names, constants3);
        return this;
      }
      get names() {
        const names = super.names;
        if (this.catch)
          addNames(names, this.catch.names);
        if (this.finally)
          addNames(names, this.finally.names);
        return names;
      }
    };
    var Catch = class extends BlockNode {
      constructor(error) {
        super();
        this.error = error;
      }
      render(opts) {
        return `catch(${this.error})` + super.render(opts);
      }
    };
    Catch.kind = "catch";
    var Finally = class extends BlockNode {
      render(opts) {
        return "finally" + super.render(opts);
      }
    };
    Finally.kind = "finally";
    var CodeGen = class {
      constructor(extScope, opts = {}) {
        this._values = {};
        this._blockStarts = [];
        this._constants = {};
        this.opts = { ...opts, _n: opts.lines ? "\n" : "" };
        this._extScope = extScope;
        this._scope = new scope_1.Scope({ parent: extScope });
        this._nodes = [new Root()];
      }
      toString() {
        return this._root.render(this.opts);
      }
      // returns unique name in the internal scope
      name(prefix) {
        return this._scope.name(prefix);
      }
      // reserves unique name in the external scope
      scopeName(prefix) {
        return this._extScope.name(prefix);
      }
      // reserves unique name in the external scope and assigns value to it
      scopeValue(prefixOrName, value) {
        const name = this._extScope.value(prefixOrName, value);
        const vs = this._values[name.prefix] || (this._values[name.prefix] = /* @__PURE__ */ new Set());
        vs.add(name);
        return name;
      }
      getScopeValue(prefix, keyOrRef) {
        return this._extScope.getValue(prefix, keyOrRef);
      }
      // return code that assigns values in the external scope to the names that are used internally
      // (same names that were returned by gen.scopeName or gen.scopeValue)
      scopeRefs(scopeName) {
        return this._extScope.scopeRefs(scopeName, this._values);
      }
      scopeCode() {
        return this._extScope.scopeCode(this._values);
      }
      _def(varKind, nameOrPrefix, rhs, constant) {
        const name = this._scope.toName(nameOrPrefix);
        if (rhs !== void 0 && constant)
          this._constants[name.str] = rhs;
        this._leafNode(new Def(varKind, name, rhs));
        return name;
      }
      // `const` declaration (`var` in es5 mode)
      const(nameOrPrefix, rhs, _constant) {
        return this._def(scope_1.varKinds.const, nameOrPrefix, rhs, _constant);
      }
      // `let` declaration with optional assignment (`var` in es5 mode)
      let(nameOrPrefix, rhs, _constant) {
        return this._def(scope_1.varKinds.let, nameOrPrefix, rhs, _constant);
      }
      // `var` declaration with optional assignment
      var(nameOrPrefix, rhs, _constant) {
        return this._def(scope_1.varKinds.var, nameOrPrefix, rhs, _constant);
      }
      // assignment code
      assign(lhs, rhs, sideEffects) {
        return this._leafNode(new Assign(lhs, rhs, sideEffects));
      }
      // `+=` code
      add(lhs, rhs) {
        return this._leafNode(new AssignOp(lhs, exports.operators.ADD, rhs));
      }
      // appends passed SafeExpr to code or executes Block
      code(c) {
        if (typeof c == "function")
          c();
        else if (c !== code_1.nil)
          this._leafNode(new AnyCode(c));
        return this;
      }
      // returns code for object literal for the passed argument list of key-value pairs
      object(...keyValues) {
        const code2 = ["{"];
        for (const [key, value] of keyValues) {
          if (code2.length > 1)
            code2.push(",");
          code2.push(key);
          if (key !== value || this.opts.es5) {
            code2.push(":");
            (0, code_1.addCodeArg)(code2, value);
          }
        }
        code2.push("}");
        return new code_1._Code(code2);
      }
      // `if` clause (or statement if `thenBody` and, optionally, `elseBody` are passed)
      if(condition, thenBody, elseBody) {
        this._blockNode(new If(condition));
        if (thenBody && elseBody) {
          this.code(thenBody).else().code(elseBody).endIf();
        } else if (thenBody) {
          this.code(thenBody).endIf();
        } else if (elseBody) {
          throw new Error('CodeGen: "else" body without "then" body');
        }
        return this;
      }
      // `else if` clause - invalid without `if` or after `else` clauses
      elseIf(condition) {
        return this._elseNode(new If(condition));
      }
      // `else` clause - only valid after `if` or `else if` clauses
      else() {
        return this._elseNode(new Else());
      }
      // end `if` statement (needed if gen.if was used only with condition)
      endIf() {
        return this._endBlockNode(If, Else);
      }
      _for(node, forBody) {
        this._blockNode(node);
        if (forBody)
          this.code(forBody).endFor();
        return this;
      }
      // a generic `for` clause (or statement if `forBody` is passed)
      for(iteration, forBody) {
        return this._for(new ForLoop(iteration), forBody);
      }
      // `for` statement for a range of values
      forRange(nameOrPrefix, from, to, forBody, varKind = this.opts.es5 ? scope_1.varKinds.var : scope_1.varKinds.let) {
        const name = this._scope.toName(nameOrPrefix);
        return this._for(new ForRange(varKind, name, from, to), () => forBody(name));
      }
      // `for-of` statement (in es5 mode replace with a normal for loop)
      forOf(nameOrPrefix, iterable, forBody, varKind = scope_1.varKinds.const) {
        const name = this._scope.toName(nameOrPrefix);
        if (this.opts.es5) {
          const arr = iterable instanceof code_1.Name ? iterable : this.var("_arr", iterable);
          return this.forRange("_i", 0, (0, code_1._)`${arr}.length`, (i) => {
            this.var(name, (0, code_1._)`${arr}[${i}]`);
            forBody(name);
          });
        }
        return this._for(new ForIter("of", varKind, name, iterable), () => forBody(name));
      }
      // `for-in` statement.
      // With option `ownProperties` replaced with a `for-of` loop for object keys
      forIn(nameOrPrefix, obj, forBody, varKind = this.opts.es5 ? scope_1.varKinds.var : scope_1.varKinds.const) {
        if (this.opts.ownProperties) {
          return this.forOf(nameOrPrefix, (0, code_1._)`Object.keys(${obj})`, forBody);
        }
        const name = this._scope.toName(nameOrPrefix);
        return this._for(new ForIter("in", varKind, name, obj), () => forBody(name));
      }
      // end `for` loop
      endFor() {
        return this._endBlockNode(For);
      }
      // `label` statement
      label(label) {
        return this._leafNode(new Label(label));
      }
      // `break` statement
      break(label) {
        return this._leafNode(new Break(label));
      }
      // `return` statement
      return(value) {
        const node = new Return();
        this._blockNode(node);
        this.code(value);
        if (node.nodes.length !== 1)
          throw new Error('CodeGen: "return" should have one node');
        return this._endBlockNode(Return);
      }
      // `try` statement
      try(tryBody, catchCode, finallyCode) {
        if (!catchCode && !finallyCode)
          throw new Error('CodeGen: "try" without "catch" and "finally"');
        const node = new Try();
        this._blockNode(node);
        this.code(tryBody);
        if (catchCode) {
          const error = this.name("e");
          this._currNode = node.catch = new Catch(error);
          catchCode(error);
        }
        if (finallyCode) {
          this._currNode = node.finally = new Finally();
          this.code(finallyCode);
        }
        return this._endBlockNode(Catch, Finally);
      }
      // `throw` statement
      throw(error) {
        return this._leafNode(new Throw(error));
      }
      // start self-balancing block
      block(body, nodeCount) {
        this._blockStarts.push(this._nodes.length);
        if (body)
          this.code(body).endBlock(nodeCount);
        return this;
      }
      // end the current self-balancing block
      endBlock(nodeCount) {
        const len = this._blockStarts.pop();
        if (len === void 0)
          throw new Error("CodeGen: not in self-balancing block");
        const toClose = this._nodes.length - len;
        if (toClose < 0 || nodeCount !== void 0 && toClose !== nodeCount) {
          throw new Error(`CodeGen: wrong number of nodes: ${toClose} vs ${nodeCount} expected`);
        }
        this._nodes.length = len;
        return this;
      }
      // `function` heading (or definition if funcBody is passed)
      func(name, args = code_1.nil, async, funcBody) {
        this._blockNode(new Func(name, args, async));
        if (funcBody)
          this.code(funcBody).endFunc();
        return this;
      }
      // end function definition
      endFunc() {
        return this._endBlockNode(Func);
      }
      optimize(n = 1) {
        while (n-- > 0) {
          this._root.optimizeNodes();
          this._root.optimizeNames(this._root.names, this._constants);
        }
      }
      _leafNode(node) {
        this._currNode.nodes.push(node);
        return this;
      }
      _blockNode(node) {
        this._currNode.nodes.push(node);
        this._nodes.push(node);
      }
      _endBlockNode(N1, N2) {
        const n = this._currNode;
        if (n instanceof N1 || N2 && n instanceof N2) {
          this._nodes.pop();
          return this;
        }
        throw new Error(`CodeGen: not in block "${N2 ? `${N1.kind}/${N2.kind}` : N1.kind}"`);
      }
      _elseNode(node) {
        const n = this._currNode;
        if (!(n instanceof If)) {
          throw new Error('CodeGen: "else" without "if"');
        }
        this._currNode = n.else = node;
        return this;
      }
      get _root() {
        return this._nodes[0];
      }
      get _currNode() {
        const ns = this._nodes;
        return ns[ns.length - 1];
      }
      set _currNode(node) {
        const ns = this._nodes;
        ns[ns.length - 1] = node;
      }
    };
    exports.CodeGen = CodeGen;
    function addNames(names, from) {
      for (const n in from)
        names[n] = (names[n] || 0) + (from[n] || 0);
      return names;
    }
    function addExprNames(names, from) {
      return from instanceof code_1._CodeOrName ? addNames(names, from.names) : names;
    }
    function optimizeExpr(expr, names, constants3) {
      if (expr instanceof code_1.Name)
        return replaceName(expr);
      if (!canOptimize(expr))
        return expr;
      return new code_1._Code(expr._items.reduce((items, c) => {
        if (c instanceof code_1.Name)
          c = replaceName(c);
        if (c instanceof code_1._Code)
          items.push(...c._items);
        else
          items.push(c);
        return items;
      }, []));
      function replaceName(n) {
        const c = constants3[n.str];
        if (c === void 0 || names[n.str] !== 1)
          return n;
        delete names[n.str];
        return c;
      }
      function canOptimize(e) {
        return e instanceof code_1._Code && e._items.some((c) => c instanceof code_1.Name && names[c.str] === 1 && constants3[c.str] !== void 0);
      }
    }
    function subtractNames(names, from) {
      for (const n in from)
        names[n] = (names[n] || 0) - (from[n] || 0);
    }
    function not(x) {
      return typeof x == "boolean" || typeof x == "number" || x === null ? !x : (0, code_1._)`!${par(x)}`;
    }
    exports.not = not;
    var andCode = mappend(exports.operators.AND);
    function and(...args) {
      return args.reduce(andCode);
    }
    exports.and = and;
    var orCode = mappend(exports.operators.OR);
    function or(...args) {
      return args.reduce(orCode);
    }
    exports.or = or;
    function mappend(op) {
      return (x, y) => x === code_1.nil ? y : y === code_1.nil ? x : (0, code_1._)`${par(x)} ${op} ${par(y)}`;
    }
    function par(x) {
      return x instanceof code_1.Name ? x : (0, code_1._)`(${x})`;
    }
  }
});

// node_modules/ajv/dist/compile/util.js
var require_util = __commonJS({
  "node_modules/ajv/dist/compile/util.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.checkStrictMode = exports.getErrorPath = exports.Type = exports.useFunc = exports.setEvaluated = exports.evaluatedPropsToName = exports.mergeEvaluated = exports.eachItem = exports.unescapeJsonPointer = exports.escapeJsonPointer = exports.escapeFragment = exports.unescapeFragment = exports.schemaRefOrVal = exports.schemaHasRulesButRef = exports.schemaHasRules = exports.checkUnknownRules = exports.alwaysValidSchema = exports.toHash = void 0;
    var codegen_1 = require_codegen();
    var code_1 = require_code();
    function toHash(arr) {
      const hash = {};
      for (const item of arr)
        hash[item] = true;
      return hash;
    }
    exports.toHash = toHash;
    function alwaysValidSchema(it, schema) {
      if (typeof schema == "boolean")
        return schema;
      if (Object.keys(schema).length === 0)
        return true;
      checkUnknownRules(it, schema);
      return !schemaHasRules(schema, it.self.RULES.all);
    }
    exports.alwaysValidSchema = alwaysValidSchema;
    function checkUnknownRules(it, schema = it.schema) {
      const { opts, self } = it;
      if (!opts.strictSchema)
        return;
      if (typeof schema === "boolean")
        return;
      const rules = self.RULES.keywords;
      for (const key in schema) {
        if (!rules[key])
          checkStrictMode(it, `unknown keyword: "${key}"`);
      }
    }
    exports.checkUnknownRules = checkUnknownRules;
    function schemaHasRules(schema, rules) {
      if (typeof schema == "boolean")
        return !schema;
      for (const key in schema)
        if (rules[key])
          return true;
      return false;
    }
    exports.schemaHasRules = schemaHasRules;
    function schemaHasRulesButRef(schema, RULES2) {
      if (typeof schema == "boolean")
        return !schema;
      for (const key in schema)
        if (key !== "$ref" && RULES2.all[key])
          return true;
      return false;
    }
    exports.schemaHasRulesButRef = schemaHasRulesButRef;
    function schemaRefOrVal({ topSchemaRef, schemaPath }, schema, keyword, $data) {
      if (!$data) {
        if (typeof schema == "number" || typeof schema == "boolean")
          return schema;
        if (typeof schema == "string")
          return (0, codegen_1._)`${schema}`;
      }
      return (0, codegen_1._)`${topSchemaRef}${schemaPath}${(0, codegen_1.getProperty)(keyword)}`;
    }
    exports.schemaRefOrVal = schemaRefOrVal;
    function unescapeFragment(str) {
      return unescapeJsonPointer(decodeURIComponent(str));
    }
    exports.unescapeFragment = unescapeFragment;
    function escapeFragment(str) {
      return encodeURIComponent(escapeJsonPointer(str));
    }
    exports.escapeFragment = escapeFragment;
    function escapeJsonPointer(str) {
      if (typeof str == "number")
        return `${str}`;
      return str.replace(/~/g, "~0").replace(/\//g, "~1");
    }
    exports.escapeJsonPointer = escapeJsonPointer;
    function unescapeJsonPointer(str) {
      return str.replace(/~1/g, "/").replace(/~0/g, "~");
    }
    exports.unescapeJsonPointer = unescapeJsonPointer;
    function eachItem(xs, f) {
      if (Array.isArray(xs)) {
        for (const x of xs)
          f(x);
      } else {
        f(xs);
      }
    }
    exports.eachItem = eachItem;
    function makeMergeEvaluated({ mergeNames, mergeToName, mergeValues, resultToName }) {
      return (gen, from, to, toName) => {
        const res = to === void 0 ? from : to instanceof codegen_1.Name ? (from instanceof codegen_1.Name ? mergeNames(gen, from, to) : mergeToName(gen, from, to), to) : from instanceof codegen_1.Name ? (mergeToName(gen, to, from), from) : mergeValues(from, to);
        return toName === codegen_1.Name && !(res instanceof codegen_1.Name) ? resultToName(gen, res) : res;
      };
    }
    exports.mergeEvaluated = {
      props: makeMergeEvaluated({
        mergeNames: (gen, from, to) => gen.if((0, codegen_1._)`${to} !== true && ${from} !== undefined`, () => {
          gen.if((0, codegen_1._)`${from} === true`, () => gen.assign(to, true), () => gen.assign(to, (0, codegen_1._)`${to} || {}`).code((0, codegen_1._)`Object.assign(${to}, ${from})`));
        }),
        mergeToName: (gen, from, to) => gen.if((0, codegen_1._)`${to} !== true`, () => {
          if (from === true) {
            gen.assign(to, true);
          } else {
            gen.assign(to, (0, codegen_1._)`${to} || {}`);
            setEvaluated(gen, to, from);
          }
        }),
        mergeValues: (from, to) => from === true ? true : { ...from, ...to },
        resultToName: evaluatedPropsToName
      }),
      items: makeMergeEvaluated({
        mergeNames: (gen, from, to) => gen.if((0, codegen_1._)`${to} !== true && ${from} !== undefined`, () => gen.assign(to, (0, codegen_1._)`${from} === true ? true : ${to} > ${from} ? ${to} : ${from}`)),
        mergeToName: (gen, from, to) => gen.if((0, codegen_1._)`${to} !== true`, () => gen.assign(to, from === true ? true : (0, codegen_1._)`${to} > ${from} ? ${to} : ${from}`)),
        mergeValues: (from, to) => from === true ? true : Math.max(from, to),
        resultToName: (gen, items) => gen.var("items", items)
      })
    };
    function evaluatedPropsToName(gen, ps) {
      if (ps === true)
        return gen.var("props", true);
      const props = gen.var("props", (0, codegen_1._)`{}`);
      if (ps !== void 0)
        setEvaluated(gen, props, ps);
      return props;
    }
    exports.evaluatedPropsToName = evaluatedPropsToName;
    function setEvaluated(gen, props, ps) {
      Object.keys(ps).forEach((p) => gen.assign((0, codegen_1._)`${props}${(0, codegen_1.getProperty)(p)}`, true));
    }
    exports.setEvaluated = setEvaluated;
    var snippets = {};
    function useFunc(gen, f) {
      return gen.scopeValue("func", {
        ref: f,
        code: snippets[f.code] || (snippets[f.code] = new code_1._Code(f.code))
      });
    }
    exports.useFunc = useFunc;
    var Type;
    (function(Type2) {
      Type2[Type2["Num"] = 0] = "Num";
      Type2[Type2["Str"] = 1] = "Str";
    })(Type || (exports.Type = Type = {}));
    function getErrorPath(dataProp, dataPropType, jsPropertySyntax) {
      if (dataProp instanceof codegen_1.Name) {
        const isNumber = dataPropType === Type.Num;
        return jsPropertySyntax ? isNumber ? (0, codegen_1._)`"[" + ${dataProp} + "]"` : (0, codegen_1._)`"['" + ${dataProp} + "']"` : isNumber ? (0, codegen_1._)`"/" + ${dataProp}` : (0, codegen_1._)`"/" + ${dataProp}.replace(/~/g, "~0").replace(/\\//g, "~1")`;
      }
      return jsPropertySyntax ? (0, codegen_1.getProperty)(dataProp).toString() : "/" + escapeJsonPointer(dataProp);
    }
    exports.getErrorPath = getErrorPath;
    function checkStrictMode(it, msg, mode = it.opts.strictSchema) {
      if (!mode)
        return;
      msg = `strict mode: ${msg}`;
      if (mode === true)
        throw new Error(msg);
      it.self.logger.warn(msg);
    }
    exports.checkStrictMode = checkStrictMode;
  }
});

// node_modules/ajv/dist/compile/names.js
var require_names = __commonJS({
  "node_modules/ajv/dist/compile/names.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var names = {
      // validation function arguments
      data: new codegen_1.Name("data"),
      // data passed to validation function
      // args passed from referencing schema
      valCxt: new codegen_1.Name("valCxt"),
      // validation/data context - should not be used directly, it is destructured to the names below
      instancePath: new codegen_1.Name("instancePath"),
      parentData: new codegen_1.Name("parentData"),
      parentDataProperty: new codegen_1.Name("parentDataProperty"),
      rootData: new codegen_1.Name("rootData"),
      // root data - same as the data passed to the first/top validation function
      dynamicAnchors: new codegen_1.Name("dynamicAnchors"),
      // used to support recursiveRef and dynamicRef
      // function scoped variables
      vErrors: new codegen_1.Name("vErrors"),
      // null or array of validation errors
      errors: new codegen_1.Name("errors"),
      // counter of validation errors
      this: new codegen_1.Name("this"),
      // "globals"
      self: new codegen_1.Name("self"),
      scope: new codegen_1.Name("scope"),
      // JTD serialize/parse name for JSON string and position
      json: new codegen_1.Name("json"),
      jsonPos: new codegen_1.Name("jsonPos"),
      jsonLen: new codegen_1.Name("jsonLen"),
      jsonPart: new codegen_1.Name("jsonPart")
    };
    exports.default = names;
  }
});

// node_modules/ajv/dist/compile/errors.js
var require_errors = __commonJS({
  "node_modules/ajv/dist/compile/errors.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.extendErrors = exports.resetErrorsCount = exports.reportExtraError = exports.reportError = exports.keyword$DataError = exports.keywordError = void 0;
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var names_1 = require_names();
    exports.keywordError = {
      message: ({ keyword }) => (0, codegen_1.str)`must pass "${keyword}" keyword validation`
    };
    exports.keyword$DataError = {
      message: ({ keyword, schemaType }) => schemaType ? (0, codegen_1.str)`"${keyword}" keyword must be ${schemaType} ($data)` : (0, codegen_1.str)`"${keyword}" keyword is invalid ($data)`
    };
    function reportError(cxt, error = exports.keywordError, errorPaths, overrideAllErrors) {
      const { it } = cxt;
      const { gen, compositeRule, allErrors } = it;
      const errObj = errorObjectCode(cxt, error, errorPaths);
      if (overrideAllErrors !== null && overrideAllErrors !== void 0 ? overrideAllErrors : compositeRule || allErrors) {
        addError(gen, errObj);
      } else {
        returnErrors(it, (0, codegen_1._)`[${errObj}]`);
      }
    }
    exports.reportError = reportError;
    function reportExtraError(cxt, error = exports.keywordError, errorPaths) {
      const { it } = cxt;
      const { gen, compositeRule, allErrors } = it;
      const errObj = errorObjectCode(cxt, error, errorPaths);
      addError(gen, errObj);
      if (!(compositeRule || allErrors)) {
        returnErrors(it, names_1.default.vErrors);
      }
    }
    exports.reportExtraError = reportExtraError;
    function resetErrorsCount(gen, errsCount) {
      gen.assign(names_1.default.errors, errsCount);
      gen.if((0, codegen_1._)`${names_1.default.vErrors} !== null`, () => gen.if(errsCount, () => gen.assign((0, codegen_1._)`${names_1.default.vErrors}.length`, errsCount), () => gen.assign(names_1.default.vErrors, null)));
    }
    exports.resetErrorsCount = resetErrorsCount;
    function extendErrors({ gen, keyword, schemaValue, data, errsCount, it }) {
      if (errsCount === void 0)
        throw new Error("ajv implementation error");
      const err = gen.name("err");
      gen.forRange("i", errsCount, names_1.default.errors, (i) => {
        gen.const(err, (0, codegen_1._)`${names_1.default.vErrors}[${i}]`);
        gen.if((0, codegen_1._)`${err}.instancePath === undefined`, () => gen.assign((0, codegen_1._)`${err}.instancePath`, (0, codegen_1.strConcat)(names_1.default.instancePath, it.errorPath)));
        gen.assign((0, codegen_1._)`${err}.schemaPath`, (0, codegen_1.str)`${it.errSchemaPath}/${keyword}`);
        if (it.opts.verbose) {
          gen.assign((0, codegen_1._)`${err}.schema`, schemaValue);
          gen.assign((0, codegen_1._)`${err}.data`, data);
        }
      });
    }
    exports.extendErrors = extendErrors;
    function addError(gen, errObj) {
      const err = gen.const("err", errObj);
      gen.if((0, codegen_1._)`${names_1.default.vErrors} === null`, () => gen.assign(names_1.default.vErrors, (0, codegen_1._)`[${err}]`), (0, codegen_1._)`${names_1.default.vErrors}.push(${err})`);
      gen.code((0, codegen_1._)`${names_1.default.errors}++`);
    }
    function returnErrors(it, errs) {
      const { gen, validateName, schemaEnv } = it;
      if (schemaEnv.$async) {
        gen.throw((0, codegen_1._)`new ${it.ValidationError}(${errs})`);
      } else {
        gen.assign((0, codegen_1._)`${validateName}.errors`, errs);
        gen.return(false);
      }
    }
    var E = {
      keyword: new codegen_1.Name("keyword"),
      schemaPath: new codegen_1.Name("schemaPath"),
      // also used in JTD errors
      params: new codegen_1.Name("params"),
      propertyName: new codegen_1.Name("propertyName"),
      message: new codegen_1.Name("message"),
      schema: new codegen_1.Name("schema"),
      parentSchema: new codegen_1.Name("parentSchema")
    };
    function errorObjectCode(cxt, error, errorPaths) {
      const { createErrors } = cxt.it;
      if (createErrors === false)
        return (0, codegen_1._)`{}`;
      return errorObject(cxt, error, errorPaths);
    }
    function errorObject(cxt, error, errorPaths = {}) {
      const { gen, it } = cxt;
      const keyValues = [
        errorInstancePath(it, errorPaths),
        errorSchemaPath(cxt, errorPaths)
      ];
      extraErrorProps(cxt, error, keyValues);
      return gen.object(...keyValues);
    }
    function errorInstancePath({ errorPath }, { instancePath }) {
      const instPath = instancePath ? (0, codegen_1.str)`${errorPath}${(0, util_1.getErrorPath)(instancePath, util_1.Type.Str)}` : errorPath;
      return [names_1.default.instancePath, (0, codegen_1.strConcat)(names_1.default.instancePath, instPath)];
    }
    function errorSchemaPath({ keyword, it: { errSchemaPath } }, { schemaPath, parentSchema }) {
      let schPath = parentSchema ? errSchemaPath : (0, codegen_1.str)`${errSchemaPath}/${keyword}`;
      if (schemaPath) {
        schPath = (0, codegen_1.str)`${schPath}${(0, util_1.getErrorPath)(schemaPath, util_1.Type.Str)}`;
      }
      return [E.schemaPath, schPath];
    }
    function extraErrorProps(cxt, { params, message }, keyValues) {
      const { keyword, data, schemaValue, it } = cxt;
      const { opts, propertyName, topSchemaRef, schemaPath } = it;
      keyValues.push([E.keyword, keyword], [E.params, typeof params == "function" ? params(cxt) : params || (0, codegen_1._)`{}`]);
      if (opts.messages) {
        keyValues.push([E.message, typeof message == "function" ? message(cxt) : message]);
      }
      if (opts.verbose) {
        keyValues.push([E.schema, schemaValue], [E.parentSchema, (0, codegen_1._)`${topSchemaRef}${schemaPath}`], [names_1.default.data, data]);
      }
      if (propertyName)
        keyValues.push([E.propertyName, propertyName]);
    }
  }
});

// node_modules/ajv/dist/compile/validate/boolSchema.js
var require_boolSchema = __commonJS({
  "node_modules/ajv/dist/compile/validate/boolSchema.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.boolOrEmptySchema = exports.topBoolOrEmptySchema = void 0;
    var errors_1 = require_errors();
    var codegen_1 = require_codegen();
    var names_1 = require_names();
    var boolError = {
      message: "boolean schema is false"
    };
    function topBoolOrEmptySchema(it) {
      const { gen, schema, validateName } = it;
      if (schema === false) {
        falseSchemaError(it, false);
      } else if (typeof schema == "object" && schema.$async === true) {
        gen.return(names_1.default.data);
      } else {
        gen.assign((0, codegen_1._)`${validateName}.errors`, null);
        gen.return(true);
      }
    }
    exports.topBoolOrEmptySchema = topBoolOrEmptySchema;
    function boolOrEmptySchema(it, valid) {
      const { gen, schema } = it;
      if (schema === false) {
        gen.var(valid, false);
        falseSchemaError(it);
      } else {
        gen.var(valid, true);
      }
    }
    exports.boolOrEmptySchema = boolOrEmptySchema;
    function falseSchemaError(it, overrideAllErrors) {
      const { gen, data } = it;
      const cxt = {
        gen,
        keyword: "false schema",
        data,
        schema: false,
        schemaCode: false,
        schemaValue: false,
        params: {},
        it
      };
      (0, errors_1.reportError)(cxt, boolError, void 0, overrideAllErrors);
    }
  }
});

// node_modules/ajv/dist/compile/rules.js
var require_rules = __commonJS({
  "node_modules/ajv/dist/compile/rules.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.getRules = exports.isJSONType = void 0;
    var _jsonTypes = ["string", "number", "integer", "boolean", "null", "object", "array"];
    var jsonTypes = new Set(_jsonTypes);
    function isJSONType(x) {
      return typeof x == "string" && jsonTypes.has(x);
    }
    exports.isJSONType = isJSONType;
    function getRules() {
      const groups = {
        number: { type: "number", rules: [] },
        string: { type: "string", rules: [] },
        array: { type: "array", rules: [] },
        object: { type: "object", rules: [] }
      };
      return {
        types: { ...groups, integer: true, boolean: true, null: true },
        rules: [{ rules: [] }, groups.number, groups.string, groups.array, groups.object],
        post: { rules: [] },
        all: {},
        keywords: {}
      };
    }
    exports.getRules = getRules;
  }
});

// node_modules/ajv/dist/compile/validate/applicability.js
var require_applicability = __commonJS({
  "node_modules/ajv/dist/compile/validate/applicability.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.shouldUseRule = exports.shouldUseGroup = exports.schemaHasRulesForType = void 0;
    function schemaHasRulesForType({ schema, self }, type) {
      const group = self.RULES.types[type];
      return group && group !== true && shouldUseGroup(schema, group);
    }
    exports.schemaHasRulesForType = schemaHasRulesForType;
    function shouldUseGroup(schema, group) {
      return group.rules.some((rule) => shouldUseRule(schema, rule));
    }
    exports.shouldUseGroup = shouldUseGroup;
    function shouldUseRule(schema, rule) {
      var _a;
      return schema[rule.keyword] !== void 0 || ((_a = rule.definition.implements) === null || _a === void 0 ? void 0 : _a.some((kwd) => schema[kwd] !== void 0));
    }
    exports.shouldUseRule = shouldUseRule;
  }
});

// node_modules/ajv/dist/compile/validate/dataType.js
var require_dataType = __commonJS({
  "node_modules/ajv/dist/compile/validate/dataType.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.reportTypeError = exports.checkDataTypes = exports.checkDataType = exports.coerceAndCheckDataType = exports.getJSONTypes = exports.getSchemaTypes = exports.DataType = void 0;
    var rules_1 = require_rules();
    var applicability_1 = require_applicability();
    var errors_1 = require_errors();
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var DataType;
    (function(DataType2) {
      DataType2[DataType2["Correct"] = 0] = "Correct";
      DataType2[DataType2["Wrong"] = 1] = "Wrong";
    })(DataType || (exports.DataType = DataType = {}));
    function getSchemaTypes(schema) {
      const types = getJSONTypes(schema.type);
      const hasNull = types.includes("null");
      if (hasNull) {
        if (schema.nullable === false)
          throw new Error("type: null contradicts nullable: false");
      } else {
        if (!types.length && schema.nullable !== void 0) {
          throw new Error('"nullable" cannot be used without "type"');
        }
        if (schema.nullable === true)
          types.push("null");
      }
      return types;
    }
    exports.getSchemaTypes = getSchemaTypes;
    function getJSONTypes(ts) {
      const types = Array.isArray(ts) ? ts : ts ? [ts] : [];
      if (types.every(rules_1.isJSONType))
        return types;
      throw new Error("type must be JSONType or JSONType[]: " + types.join(","));
    }
    exports.getJSONTypes = getJSONTypes;
    function coerceAndCheckDataType(it, types) {
      const { gen, data, opts } = it;
      const coerceTo = coerceToTypes(types, opts.coerceTypes);
      const checkTypes = types.length > 0 && !(coerceTo.length === 0 && types.length === 1 && (0, applicability_1.schemaHasRulesForType)(it, types[0]));
      if (checkTypes) {
        const wrongType2 = checkDataTypes(types, data, opts.strictNumbers, DataType.Wrong);
        gen.if(wrongType2, () => {
          if (coerceTo.length)
            coerceData(it, types, coerceTo);
          else
            reportTypeError(it);
        });
      }
      return checkTypes;
    }
    exports.coerceAndCheckDataType = coerceAndCheckDataType;
    var COERCIBLE = /* @__PURE__ */ new Set(["string", "number", "integer", "boolean", "null"]);
    function coerceToTypes(types, coerceTypes) {
      return coerceTypes ? types.filter((t) => COERCIBLE.has(t) || coerceTypes === "array" && t === "array") : [];
    }
    function coerceData(it, types, coerceTo) {
      const { gen, data, opts } = it;
      const dataType = gen.let("dataType", (0, codegen_1._)`typeof ${data}`);
      const coerced = gen.let("coerced", (0, codegen_1._)`undefined`);
      if (opts.coerceTypes === "array") {
        gen.if((0, codegen_1._)`${dataType} == 'object' && Array.isArray(${data}) && ${data}.length == 1`, () => gen.assign(data, (0, codegen_1._)`${data}[0]`).assign(dataType, (0, codegen_1._)`typeof ${data}`).if(checkDataTypes(types, data, opts.strictNumbers), () => gen.assign(coerced, data)));
      }
      gen.if((0, codegen_1._)`${coerced} !== undefined`);
      for (const t of coerceTo) {
        if (COERCIBLE.has(t) || t === "array" && opts.coerceTypes === "array") {
          coerceSpecificType(t);
        }
      }
      gen.else();
      reportTypeError(it);
      gen.endIf();
      gen.if((0, codegen_1._)`${coerced} !== undefined`, () => {
        gen.assign(data, coerced);
        assignParentData(it, coerced);
      });
      function coerceSpecificType(t) {
        switch (t) {
          case "string":
            gen.elseIf((0, codegen_1._)`${dataType} == "number" || ${dataType} == "boolean"`).assign(coerced, (0, codegen_1._)`"" + ${data}`).elseIf((0, codegen_1._)`${data} === null`).assign(coerced, (0, codegen_1._)`""`);
            return;
          case "number":
            gen.elseIf((0, codegen_1._)`${dataType} == "boolean" || ${data} === null
              || (${dataType} == "string" && ${data} && ${data} == +${data})`).assign(coerced, (0, codegen_1._)`+${data}`);
            return;
          case "integer":
            gen.elseIf((0, codegen_1._)`${dataType} === "boolean" || ${data} === null
              || (${dataType} === "string" && ${data} && ${data} == +${data} && !(${data} % 1))`).assign(coerced, (0, codegen_1._)`+${data}`);
            return;
          case "boolean":
            gen.elseIf((0, codegen_1._)`${data} === "false" || ${data} === 0 || ${data} === null`).assign(coerced, false).elseIf((0, codegen_1._)`${data} === "true" || ${data} === 1`).assign(coerced, true);
            return;
          case "null":
            gen.elseIf((0, codegen_1._)`${data} === "" || ${data} === 0 || ${data} === false`);
            gen.assign(coerced, null);
            return;
          case "array":
            gen.elseIf((0, codegen_1._)`${dataType} === "string" || ${dataType} === "number"
              || ${dataType} === "boolean" || ${data} === null`).assign(coerced, (0, codegen_1._)`[${data}]`);
        }
      }
    }
    function assignParentData({ gen, parentData, parentDataProperty }, expr) {
      gen.if((0, codegen_1._)`${parentData} !== undefined`, () => gen.assign((0, codegen_1._)`${parentData}[${parentDataProperty}]`, expr));
    }
    function checkDataType(dataType, data, strictNums, correct = DataType.Correct) {
      const EQ = correct === DataType.Correct ? codegen_1.operators.EQ : codegen_1.operators.NEQ;
      let cond;
      switch (dataType) {
        case "null":
          return (0, codegen_1._)`${data} ${EQ} null`;
        case "array":
          cond = (0, codegen_1._)`Array.isArray(${data})`;
          break;
        case "object":
          cond = (0, codegen_1._)`${data} && typeof ${data} == "object" && !Array.isArray(${data})`;
          break;
        case "integer":
          cond = numCond((0, codegen_1._)`!(${data} % 1) && !isNaN(${data})`);
          break;
        case "number":
          cond = numCond();
          break;
        default:
          return (0, codegen_1._)`typeof ${data} ${EQ} ${dataType}`;
      }
      return correct === DataType.Correct ? cond : (0, codegen_1.not)(cond);
      function numCond(_cond = codegen_1.nil) {
        return (0, codegen_1.and)((0, codegen_1._)`typeof ${data} == "number"`, _cond, strictNums ? (0, codegen_1._)`isFinite(${data})` : codegen_1.nil);
      }
    }
    exports.checkDataType = checkDataType;
    function checkDataTypes(dataTypes, data, strictNums, correct) {
      if (dataTypes.length === 1) {
        return checkDataType(dataTypes[0], data, strictNums, correct);
      }
      let cond;
      const types = (0, util_1.toHash)(dataTypes);
      if (types.array && types.object) {
        const notObj = (0, codegen_1._)`typeof ${data} != "object"`;
        cond = types.null ? notObj : (0, codegen_1._)`!${data} || ${notObj}`;
        delete types.null;
        delete types.array;
        delete types.object;
      } else {
        cond = codegen_1.nil;
      }
      if (types.number)
        delete types.integer;
      for (const t in types)
        cond = (0, codegen_1.and)(cond, checkDataType(t, data, strictNums, correct));
      return cond;
    }
    exports.checkDataTypes = checkDataTypes;
    var typeError = {
      message: ({ schema }) => `must be ${schema}`,
      params: ({ schema, schemaValue }) => typeof schema == "string" ? (0, codegen_1._)`{type: ${schema}}` : (0, codegen_1._)`{type: ${schemaValue}}`
    };
    function reportTypeError(it) {
      const cxt = getTypeErrorContext(it);
      (0, errors_1.reportError)(cxt, typeError);
    }
    exports.reportTypeError = reportTypeError;
    function getTypeErrorContext(it) {
      const { gen, data, schema } = it;
      const schemaCode = (0, util_1.schemaRefOrVal)(it, schema, "type");
      return {
        gen,
        keyword: "type",
        data,
        schema: schema.type,
        schemaCode,
        schemaValue: schemaCode,
        parentSchema: schema,
        params: {},
        it
      };
    }
  }
});

// node_modules/ajv/dist/compile/validate/defaults.js
var require_defaults = __commonJS({
  "node_modules/ajv/dist/compile/validate/defaults.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.assignDefaults = void 0;
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    function assignDefaults(it, ty) {
      const { properties, items } = it.schema;
      if (ty === "object" && properties) {
        for (const key in properties) {
          assignDefault(it, key, properties[key].default);
        }
      } else if (ty === "array" && Array.isArray(items)) {
        items.forEach((sch, i) => assignDefault(it, i, sch.default));
      }
    }
    exports.assignDefaults = assignDefaults;
    function assignDefault(it, prop, defaultValue) {
      const { gen, compositeRule, data, opts } = it;
      if (defaultValue === void 0)
        return;
      const childData = (0, codegen_1._)`${data}${(0, codegen_1.getProperty)(prop)}`;
      if (compositeRule) {
        (0, util_1.checkStrictMode)(it, `default is ignored for: ${childData}`);
        return;
      }
      let condition = (0, codegen_1._)`${childData} === undefined`;
      if (opts.useDefaults === "empty") {
        condition = (0, codegen_1._)`${condition} || ${childData} === null || ${childData} === ""`;
      }
      gen.if(condition, (0, codegen_1._)`${childData} = ${(0, codegen_1.stringify)(defaultValue)}`);
    }
  }
});

// node_modules/ajv/dist/vocabularies/code.js
var require_code2 = __commonJS({
  "node_modules/ajv/dist/vocabularies/code.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.validateUnion = exports.validateArray = exports.usePattern = exports.callValidateCode = exports.schemaProperties = exports.allSchemaProperties = exports.noPropertyInData = exports.propertyInData = exports.isOwnProperty = exports.hasPropFunc = exports.reportMissingProp = exports.checkMissingProp = exports.checkReportMissingProp = void 0;
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var names_1 = require_names();
    var util_2 = require_util();
    function checkReportMissingProp(cxt, prop) {
      const { gen, data, it } = cxt;
      gen.if(noPropertyInData(gen, data, prop, it.opts.ownProperties), () => {
        cxt.setParams({ missingProperty: (0, codegen_1._)`${prop}` }, true);
        cxt.error();
      });
    }
    exports.checkReportMissingProp = checkReportMissingProp;
    function checkMissingProp({ gen, data, it: { opts } }, properties, missing) {
      return (0, codegen_1.or)(...properties.map((prop) => (0, codegen_1.and)(noPropertyInData(gen, data, prop, opts.ownProperties), (0, codegen_1._)`${missing} = ${prop}`)));
    }
    exports.checkMissingProp = checkMissingProp;
    function reportMissingProp(cxt, missing) {
      cxt.setParams({ missingProperty: missing }, true);
      cxt.error();
    }
    exports.reportMissingProp = reportMissingProp;
    function hasPropFunc(gen) {
      return gen.scopeValue("func", {
        // eslint-disable-next-line @typescript-eslint/unbound-method
        ref: Object.prototype.hasOwnProperty,
        code: (0, codegen_1._)`Object.prototype.hasOwnProperty`
      });
    }
    exports.hasPropFunc = hasPropFunc;
    function isOwnProperty(gen, data, property) {
      return (0, codegen_1._)`${hasPropFunc(gen)}.call(${data}, ${property})`;
    }
    exports.isOwnProperty = isOwnProperty;
    function propertyInData(gen, data, property, ownProperties) {
      const cond = (0, codegen_1._)`${data}${(0, codegen_1.getProperty)(property)} !== undefined`;
      return ownProperties ? (0, codegen_1._)`${cond} && ${isOwnProperty(gen, data, property)}` : cond;
    }
    exports.propertyInData = propertyInData;
    function noPropertyInData(gen, data, property, ownProperties) {
      const cond = (0, codegen_1._)`${data}${(0, codegen_1.getProperty)(property)} === undefined`;
      return ownProperties ? (0, codegen_1.or)(cond, (0, codegen_1.not)(isOwnProperty(gen, data, property))) : cond;
    }
    exports.noPropertyInData = noPropertyInData;
    function allSchemaProperties(schemaMap) {
      return schemaMap ? Object.keys(schemaMap).filter((p) => p !== "__proto__") : [];
    }
    exports.allSchemaProperties = allSchemaProperties;
    function schemaProperties(it, schemaMap) {
      return allSchemaProperties(schemaMap).filter((p) => !(0, util_1.alwaysValidSchema)(it, schemaMap[p]));
    }
    exports.schemaProperties = schemaProperties;
    function callValidateCode({ schemaCode, data, it: { gen, topSchemaRef, schemaPath, errorPath }, it }, func, context, passSchema) {
      const dataAndSchema = passSchema ? (0, codegen_1._)`${schemaCode}, ${data}, ${topSchemaRef}${schemaPath}` : data;
      const valCxt = [
        [names_1.default.instancePath, (0, codegen_1.strConcat)(names_1.default.instancePath, errorPath)],
        [names_1.default.parentData, it.parentData],
        [names_1.default.parentDataProperty, it.parentDataProperty],
        [names_1.default.rootData, names_1.default.rootData]
      ];
      if (it.opts.dynamicRef)
        valCxt.push([names_1.default.dynamicAnchors, names_1.default.dynamicAnchors]);
      const args = (0, codegen_1._)`${dataAndSchema}, ${gen.object(...valCxt)}`;
      return context !== codegen_1.nil ? (0, codegen_1._)`${func}.call(${context}, ${args})` : (0, codegen_1._)`${func}(${args})`;
    }
    exports.callValidateCode = callValidateCode;
    var newRegExp = (0, codegen_1._)`new RegExp`;
    function usePattern({ gen, it: { opts } }, pattern) {
      const u = opts.unicodeRegExp ? "u" : "";
      const { regExp } = opts.code;
      const rx = regExp(pattern, u);
      return gen.scopeValue("pattern", {
        key: rx.toString(),
        ref: rx,
        code: (0, codegen_1._)`${regExp.code === "new RegExp" ? newRegExp : (0, util_2.useFunc)(gen, regExp)}(${pattern}, ${u})`
      });
    }
    exports.usePattern = usePattern;
    function validateArray(cxt) {
      const { gen, data, keyword, it } = cxt;
      const valid = gen.name("valid");
      if (it.allErrors) {
        const validArr = gen.let("valid", true);
        validateItems(() => gen.assign(validArr, false));
        return validArr;
      }
      gen.var(valid, true);
      validateItems(() => gen.break());
      return valid;
      function validateItems(notValid) {
        const len = gen.const("len", (0, codegen_1._)`${data}.length`);
        gen.forRange("i", 0, len, (i) => {
          cxt.subschema({
            keyword,
            dataProp: i,
            dataPropType: util_1.Type.Num
          }, valid);
          gen.if((0, codegen_1.not)(valid), notValid);
        });
      }
    }
    exports.validateArray = validateArray;
    function validateUnion(cxt) {
      const { gen, schema, keyword, it } = cxt;
      if (!Array.isArray(schema))
        throw new Error("ajv implementation error");
      const alwaysValid = schema.some((sch) => (0, util_1.alwaysValidSchema)(it, sch));
      if (alwaysValid && !it.opts.unevaluated)
        return;
      const valid = gen.let("valid", false);
      const schValid = gen.name("_valid");
      gen.block(() => schema.forEach((_sch, i) => {
        const schCxt = cxt.subschema({
          keyword,
          schemaProp: i,
          compositeRule: true
        }, schValid);
        gen.assign(valid, (0, codegen_1._)`${valid} || ${schValid}`);
        const merged = cxt.mergeValidEvaluated(schCxt, schValid);
        if (!merged)
          gen.if((0, codegen_1.not)(valid));
      }));
      cxt.result(valid, () => cxt.reset(), () => cxt.error(true));
    }
    exports.validateUnion = validateUnion;
  }
});

// node_modules/ajv/dist/compile/validate/keyword.js
var require_keyword = __commonJS({
  "node_modules/ajv/dist/compile/validate/keyword.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.validateKeywordUsage = exports.validSchemaType = exports.funcKeywordCode = exports.macroKeywordCode = void 0;
    var codegen_1 = require_codegen();
    var names_1 = require_names();
    var code_1 = require_code2();
    var errors_1 = require_errors();
    function macroKeywordCode(cxt, def) {
      const { gen, keyword, schema, parentSchema, it } = cxt;
      const macroSchema = def.macro.call(it.self, schema, parentSchema, it);
      const schemaRef = useKeyword(gen, keyword, macroSchema);
      if (it.opts.validateSchema !== false)
        it.self.validateSchema(macroSchema, true);
      const valid = gen.name("valid");
      cxt.subschema({
        schema: macroSchema,
        schemaPath: codegen_1.nil,
        errSchemaPath: `${it.errSchemaPath}/${keyword}`,
        topSchemaRef: schemaRef,
        compositeRule: true
      }, valid);
      cxt.pass(valid, () => cxt.error(true));
    }
    exports.macroKeywordCode = macroKeywordCode;
    function funcKeywordCode(cxt, def) {
      var _a;
      const { gen, keyword, schema, parentSchema, $data, it } = cxt;
      checkAsyncKeyword(it, def);
      const validate = !$data && def.compile ? def.compile.call(it.self, schema, parentSchema, it) : def.validate;
      const validateRef = useKeyword(gen, keyword, validate);
      const valid = gen.let("valid");
      cxt.block$data(valid, validateKeyword);
      cxt.ok((_a = def.valid) !== null && _a !== void 0 ? _a : valid);
      function validateKeyword() {
        if (def.errors === false) {
          assignValid();
          if (def.modifying)
            modifyData(cxt);
          reportErrs(() => cxt.error());
        } else {
          const ruleErrs = def.async ? validateAsync() : validateSync();
          if (def.modifying)
            modifyData(cxt);
          reportErrs(() => addErrs(cxt, ruleErrs));
        }
      }
      function validateAsync() {
        const ruleErrs = gen.let("ruleErrs", null);
        gen.try(() => assignValid((0, codegen_1._)`await `), (e) => gen.assign(valid, false).if((0, codegen_1._)`${e} instanceof ${it.ValidationError}`, () => gen.assign(ruleErrs, (0, codegen_1._)`${e}.errors`), () => gen.throw(e)));
        return ruleErrs;
      }
      function validateSync() {
        const validateErrs = (0, codegen_1._)`${validateRef}.errors`;
        gen.assign(validateErrs, null);
        assignValid(codegen_1.nil);
        return validateErrs;
      }
      function assignValid(_await = def.async ? (0, codegen_1._)`await ` : codegen_1.nil) {
        const passCxt = it.opts.passContext ? names_1.default.this : names_1.default.self;
        const passSchema = !("compile" in def && !$data || def.schema === false);
        gen.assign(valid, (0, codegen_1._)`${_await}${(0, code_1.callValidateCode)(cxt, validateRef, passCxt, passSchema)}`, def.modifying);
      }
      function reportErrs(errors) {
        var _a2;
        gen.if((0, codegen_1.not)((_a2 = def.valid) !== null && _a2 !== void 0 ? _a2 : valid), errors);
      }
    }
    exports.funcKeywordCode = funcKeywordCode;
    function modifyData(cxt) {
      const { gen, data, it } = cxt;
      gen.if(it.parentData, () => gen.assign(data, (0, codegen_1._)`${it.parentData}[${it.parentDataProperty}]`));
    }
    function addErrs(cxt, errs) {
      const { gen } = cxt;
      gen.if((0, codegen_1._)`Array.isArray(${errs})`, () => {
        gen.assign(names_1.default.vErrors, (0, codegen_1._)`${names_1.default.vErrors} === null ? ${errs} : ${names_1.default.vErrors}.concat(${errs})`).assign(names_1.default.errors, (0, codegen_1._)`${names_1.default.vErrors}.length`);
        (0, errors_1.extendErrors)(cxt);
      }, () => cxt.error());
    }
    function checkAsyncKeyword({ schemaEnv }, def) {
      if (def.async && !schemaEnv.$async)
        throw new Error("async keyword in sync schema");
    }
    function useKeyword(gen, keyword, result) {
      if (result === void 0)
        throw new Error(`keyword "${keyword}" failed to compile`);
      return gen.scopeValue("keyword", typeof result == "function" ? { ref: result } : { ref: result, code: (0, codegen_1.stringify)(result) });
    }
    function validSchemaType(schema, schemaType, allowUndefined = false) {
      return !schemaType.length || schemaType.some((st) => st === "array" ? Array.isArray(schema) : st === "object" ? schema && typeof schema == "object" && !Array.isArray(schema) : typeof schema == st || allowUndefined && typeof schema == "undefined");
    }
    exports.validSchemaType = validSchemaType;
    function validateKeywordUsage({ schema, opts, self, errSchemaPath }, def, keyword) {
      if (Array.isArray(def.keyword) ? !def.keyword.includes(keyword) : def.keyword !== keyword) {
        throw new Error("ajv implementation error");
      }
      const deps = def.dependencies;
      if (deps === null || deps === void 0 ? void 0 : deps.some((kwd) => !Object.prototype.hasOwnProperty.call(schema, kwd))) {
        throw new Error(`parent schema must have dependencies of ${keyword}: ${deps.join(",")}`);
      }
      if (def.validateSchema) {
        const valid = def.validateSchema(schema[keyword]);
        if (!valid) {
          const msg = `keyword "${keyword}" value is invalid at path "${errSchemaPath}": ` + self.errorsText(def.validateSchema.errors);
          if (opts.validateSchema === "log")
            self.logger.error(msg);
          else
            throw new Error(msg);
        }
      }
    }
    exports.validateKeywordUsage = validateKeywordUsage;
  }
});

// node_modules/ajv/dist/compile/validate/subschema.js
var require_subschema = __commonJS({
  "node_modules/ajv/dist/compile/validate/subschema.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.extendSubschemaMode = exports.extendSubschemaData = exports.getSubschema = void 0;
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    function getSubschema(it, { keyword, schemaProp, schema, schemaPath, errSchemaPath, topSchemaRef }) {
      if (keyword !== void 0 && schema !== void 0) {
        throw new Error('both "keyword" and "schema" passed, only one allowed');
      }
      if (keyword !== void 0) {
        const sch = it.schema[keyword];
        return schemaProp === void 0 ? {
          schema: sch,
          schemaPath: (0, codegen_1._)`${it.schemaPath}${(0, codegen_1.getProperty)(keyword)}`,
          errSchemaPath: `${it.errSchemaPath}/${keyword}`
        } : {
          schema: sch[schemaProp],
          schemaPath: (0, codegen_1._)`${it.schemaPath}${(0, codegen_1.getProperty)(keyword)}${(0, codegen_1.getProperty)(schemaProp)}`,
          errSchemaPath: `${it.errSchemaPath}/${keyword}/${(0, util_1.escapeFragment)(schemaProp)}`
        };
      }
      if (schema !== void 0) {
        if (schemaPath === void 0 || errSchemaPath === void 0 || topSchemaRef === void 0) {
          throw new Error('"schemaPath", "errSchemaPath" and "topSchemaRef" are required with "schema"');
        }
        return {
          schema,
          schemaPath,
          topSchemaRef,
          errSchemaPath
        };
      }
      throw new Error('either "keyword" or "schema" must be passed');
    }
    exports.getSubschema = getSubschema;
    function extendSubschemaData(subschema, it, { dataProp, dataPropType: dpType, data, dataTypes, propertyName }) {
      if (data !== void 0 && dataProp !== void 0) {
        throw new Error('both "data" and "dataProp" passed, only one allowed');
      }
      const { gen } = it;
      if (dataProp !== void 0) {
        const { errorPath, dataPathArr, opts } = it;
        const nextData = gen.let("data", (0, codegen_1._)`${it.data}${(0, codegen_1.getProperty)(dataProp)}`, true);
        dataContextProps(nextData);
        subschema.errorPath = (0, codegen_1.str)`${errorPath}${(0, util_1.getErrorPath)(dataProp, dpType, opts.jsPropertySyntax)}`;
        subschema.parentDataProperty = (0, codegen_1._)`${dataProp}`;
        subschema.dataPathArr = [...dataPathArr, subschema.parentDataProperty];
      }
      if (data !== void 0) {
        const nextData = data instanceof codegen_1.Name ? data : gen.let("data", data, true);
        dataContextProps(nextData);
        if (propertyName !== void 0)
          subschema.propertyName = propertyName;
      }
      if (dataTypes)
        subschema.dataTypes = dataTypes;
      function dataContextProps(_nextData) {
        subschema.data = _nextData;
        subschema.dataLevel = it.dataLevel + 1;
        subschema.dataTypes = [];
        it.definedProperties = /* @__PURE__ */ new Set();
        subschema.parentData = it.data;
        subschema.dataNames = [...it.dataNames, _nextData];
      }
    }
    exports.extendSubschemaData = extendSubschemaData;
    function extendSubschemaMode(subschema, { jtdDiscriminator, jtdMetadata, compositeRule, createErrors, allErrors }) {
      if (compositeRule !== void 0)
        subschema.compositeRule = compositeRule;
      if (createErrors !== void 0)
        subschema.createErrors = createErrors;
      if (allErrors !== void 0)
        subschema.allErrors = allErrors;
      subschema.jtdDiscriminator = jtdDiscriminator;
      subschema.jtdMetadata = jtdMetadata;
    }
    exports.extendSubschemaMode = extendSubschemaMode;
  }
});

// node_modules/fast-deep-equal/index.js
var require_fast_deep_equal = __commonJS({
  "node_modules/fast-deep-equal/index.js"(exports, module) {
    "use strict";
    module.exports = function equal(a, b) {
      if (a === b) return true;
      if (a && b && typeof a == "object" && typeof b == "object") {
        if (a.constructor !== b.constructor) return false;
        var length2, i, keys;
        if (Array.isArray(a)) {
          length2 = a.length;
          if (length2 != b.length) return false;
          for (i = length2; i-- !== 0; )
            if (!equal(a[i], b[i])) return false;
          return true;
        }
        if (a.constructor === RegExp) return a.source === b.source && a.flags === b.flags;
        if (a.valueOf !== Object.prototype.valueOf) return a.valueOf() === b.valueOf();
        if (a.toString !== Object.prototype.toString) return a.toString() === b.toString();
        keys = Object.keys(a);
        length2 = keys.length;
        if (length2 !== Object.keys(b).length) return false;
        for (i = length2; i-- !== 0; )
          if (!Object.prototype.hasOwnProperty.call(b, keys[i])) return false;
        for (i = length2; i-- !== 0; ) {
          var key = keys[i];
          if (!equal(a[key], b[key])) return false;
        }
        return true;
      }
      return a !== a && b !== b;
    };
  }
});

// node_modules/json-schema-traverse/index.js
var require_json_schema_traverse = __commonJS({
  "node_modules/json-schema-traverse/index.js"(exports, module) {
    "use strict";
    var traverse = module.exports = function(schema, opts, cb) {
      if (typeof opts == "function") {
        cb = opts;
        opts = {};
      }
      cb = opts.cb || cb;
      var pre = typeof cb == "function" ? cb : cb.pre || function() {
      };
      var post = cb.post || function() {
      };
      _traverse(opts, pre, post, schema, "", schema);
    };
    traverse.keywords = {
      additionalItems: true,
      items: true,
      contains: true,
      additionalProperties: true,
      propertyNames: true,
      not: true,
      if: true,
      then: true,
      else: true
    };
    traverse.arrayKeywords = {
      items: true,
      allOf: true,
      anyOf: true,
      oneOf: true
    };
    traverse.propsKeywords = {
      $defs: true,
      definitions: true,
      properties: true,
      patternProperties: true,
      dependencies: true
    };
    traverse.skipKeywords = {
      default: true,
      enum: true,
      const: true,
      required: true,
      maximum: true,
      minimum: true,
      exclusiveMaximum: true,
      exclusiveMinimum: true,
      multipleOf: true,
      maxLength: true,
      minLength: true,
      pattern: true,
      format: true,
      maxItems: true,
      minItems: true,
      uniqueItems: true,
      maxProperties: true,
      minProperties: true
    };
    function _traverse(opts, pre, post, schema, jsonPtr, rootSchema, parentJsonPtr, parentKeyword, parentSchema, keyIndex) {
      if (schema && typeof schema == "object" && !Array.isArray(schema)) {
        pre(schema, jsonPtr, rootSchema, parentJsonPtr, parentKeyword, parentSchema, keyIndex);
        for (var key in schema) {
          var sch = schema[key];
          if (Array.isArray(sch)) {
            if (key in traverse.arrayKeywords) {
              for (var i = 0; i < sch.length; i++)
                _traverse(opts, pre, post, sch[i], jsonPtr + "/" + key + "/" + i, rootSchema, jsonPtr, key, schema, i);
            }
          } else if (key in traverse.propsKeywords) {
            if (sch && typeof sch == "object") {
              for (var prop in sch)
                _traverse(opts, pre, post, sch[prop], jsonPtr + "/" + key + "/" + escapeJsonPtr(prop), rootSchema, jsonPtr, key, schema, prop);
            }
          } else if (key in traverse.keywords || opts.allKeys && !(key in traverse.skipKeywords)) {
            _traverse(opts, pre, post, sch, jsonPtr + "/" + key, rootSchema, jsonPtr, key, schema);
          }
        }
        post(schema, jsonPtr, rootSchema, parentJsonPtr, parentKeyword, parentSchema, keyIndex);
      }
    }
    function escapeJsonPtr(str) {
      return str.replace(/~/g, "~0").replace(/\//g, "~1");
    }
  }
});

// node_modules/ajv/dist/compile/resolve.js
var require_resolve = __commonJS({
  "node_modules/ajv/dist/compile/resolve.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.getSchemaRefs = exports.resolveUrl = exports.normalizeId = exports._getFullPath = exports.getFullPath = exports.inlineRef = void 0;
    var util_1 = require_util();
    var equal = require_fast_deep_equal();
    var traverse = require_json_schema_traverse();
    var SIMPLE_INLINED = /* @__PURE__ */ new Set([
      "type",
      "format",
      "pattern",
      "maxLength",
      "minLength",
      "maxProperties",
      "minProperties",
      "maxItems",
      "minItems",
      "maximum",
      "minimum",
      "uniqueItems",
      "multipleOf",
      "required",
      "enum",
      "const"
    ]);
    function inlineRef(schema, limit = true) {
      if (typeof schema == "boolean")
        return true;
      if (limit === true)
        return !hasRef(schema);
      if (!limit)
        return false;
      return countKeys(schema) <= limit;
    }
    exports.inlineRef = inlineRef;
    var REF_KEYWORDS = /* @__PURE__ */ new Set([
      "$ref",
      "$recursiveRef",
      "$recursiveAnchor",
      "$dynamicRef",
      "$dynamicAnchor"
    ]);
    function hasRef(schema) {
      for (const key in schema) {
        if (REF_KEYWORDS.has(key))
          return true;
        const sch = schema[key];
        if (Array.isArray(sch) && sch.some(hasRef))
          return true;
        if (typeof sch == "object" && hasRef(sch))
          return true;
      }
      return false;
    }
    function countKeys(schema) {
      let count = 0;
      for (const key in schema) {
        if (key === "$ref")
          return Infinity;
        count++;
        if (SIMPLE_INLINED.has(key))
          continue;
        if (typeof schema[key] == "object") {
          (0, util_1.eachItem)(schema[key], (sch) => count += countKeys(sch));
        }
        if (count === Infinity)
          return Infinity;
      }
      return count;
    }
    function getFullPath(resolver, id = "", normalize) {
      if (normalize !== false)
        id = normalizeId(id);
      const p = resolver.parse(id);
      return _getFullPath(resolver, p);
    }
    exports.getFullPath = getFullPath;
    function _getFullPath(resolver, p) {
      const serialized = resolver.serialize(p);
      return serialized.split("#")[0] + "#";
    }
    exports._getFullPath = _getFullPath;
    var TRAILING_SLASH_HASH = /#\/?$/;
    function normalizeId(id) {
      return id ? id.replace(TRAILING_SLASH_HASH, "") : "";
    }
    exports.normalizeId = normalizeId;
    function resolveUrl(resolver, baseId, id) {
      id = normalizeId(id);
      return resolver.resolve(baseId, id);
    }
    exports.resolveUrl = resolveUrl;
    var ANCHOR = /^[a-z_][-a-z0-9._]*$/i;
    function getSchemaRefs(schema, baseId) {
      if (typeof schema == "boolean")
        return {};
      const { schemaId, uriResolver } = this.opts;
      const schId = normalizeId(schema[schemaId] || baseId);
      const baseIds = { "": schId };
      const pathPrefix = getFullPath(uriResolver, schId, false);
      const localRefs = {};
      const schemaRefs = /* @__PURE__ */ new Set();
      traverse(schema, { allKeys: true }, (sch, jsonPtr, _, parentJsonPtr) => {
        if (parentJsonPtr === void 0)
          return;
        const fullPath = pathPrefix + jsonPtr;
        let innerBaseId = baseIds[parentJsonPtr];
        if (typeof sch[schemaId] == "string")
          innerBaseId = addRef.call(this, sch[schemaId]);
        addAnchor.call(this, sch.$anchor);
        addAnchor.call(this, sch.$dynamicAnchor);
        baseIds[jsonPtr] = innerBaseId;
        function addRef(ref) {
          const _resolve = this.opts.uriResolver.resolve;
          ref = normalizeId(innerBaseId ? _resolve(innerBaseId, ref) : ref);
          if (schemaRefs.has(ref))
            throw ambiguos(ref);
          schemaRefs.add(ref);
          let schOrRef = this.refs[ref];
          if (typeof schOrRef == "string")
            schOrRef = this.refs[schOrRef];
          if (typeof schOrRef == "object") {
            checkAmbiguosRef(sch, schOrRef.schema, ref);
          } else if (ref !== normalizeId(fullPath)) {
            if (ref[0] === "#") {
              checkAmbiguosRef(sch, localRefs[ref], ref);
              localRefs[ref] = sch;
            } else {
              this.refs[ref] = fullPath;
            }
          }
          return ref;
        }
        function addAnchor(anchor) {
          if (typeof anchor == "string") {
            if (!ANCHOR.test(anchor))
              throw new Error(`invalid anchor "${anchor}"`);
            addRef.call(this, `#${anchor}`);
          }
        }
      });
      return localRefs;
      function checkAmbiguosRef(sch1, sch2, ref) {
        if (sch2 !== void 0 && !equal(sch1, sch2))
          throw ambiguos(ref);
      }
      function ambiguos(ref) {
        return new Error(`reference "${ref}" resolves to more than one schema`);
      }
    }
    exports.getSchemaRefs = getSchemaRefs;
  }
});

// node_modules/ajv/dist/compile/validate/index.js
var require_validate = __commonJS({
  "node_modules/ajv/dist/compile/validate/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.getData = exports.KeywordCxt = exports.validateFunctionCode = void 0;
    var boolSchema_1 = require_boolSchema();
    var dataType_1 = require_dataType();
    var applicability_1 = require_applicability();
    var dataType_2 = require_dataType();
    var defaults_1 = require_defaults();
    var keyword_1 = require_keyword();
    var subschema_1 = require_subschema();
    var codegen_1 = require_codegen();
    var names_1 = require_names();
    var resolve_1 = require_resolve();
    var util_1 = require_util();
    var errors_1 = require_errors();
    function validateFunctionCode(it) {
      if (isSchemaObj(it)) {
        checkKeywords(it);
        if (schemaCxtHasRules(it)) {
          topSchemaObjCode(it);
          return;
        }
      }
      validateFunction(it, () => (0, boolSchema_1.topBoolOrEmptySchema)(it));
    }
    exports.validateFunctionCode = validateFunctionCode;
    function validateFunction({ gen, validateName, schema, schemaEnv, opts }, body) {
      if (opts.code.es5) {
        gen.func(validateName, (0, codegen_1._)`${names_1.default.data}, ${names_1.default.valCxt}`, schemaEnv.$async, () => {
          gen.code((0, codegen_1._)`"use strict"; ${funcSourceUrl(schema, opts)}`);
          destructureValCxtES5(gen, opts);
          gen.code(body);
        });
      } else {
        gen.func(validateName, (0, codegen_1._)`${names_1.default.data}, ${destructureValCxt(opts)}`, schemaEnv.$async, () => gen.code(funcSourceUrl(schema, opts)).code(body));
      }
    }
    function destructureValCxt(opts) {
      return (0, codegen_1._)`{${names_1.default.instancePath}="", ${names_1.default.parentData}, ${names_1.default.parentDataProperty}, ${names_1.default.rootData}=${names_1.default.data}${opts.dynamicRef ? (0, codegen_1._)`, ${names_1.default.dynamicAnchors}={}` : codegen_1.nil}}={}`;
    }
    function destructureValCxtES5(gen, opts) {
      gen.if(names_1.default.valCxt, () => {
        gen.var(names_1.default.instancePath, (0, codegen_1._)`${names_1.default.valCxt}.${names_1.default.instancePath}`);
        gen.var(names_1.default.parentData, (0, codegen_1._)`${names_1.default.valCxt}.${names_1.default.parentData}`);
        gen.var(names_1.default.parentDataProperty, (0, codegen_1._)`${names_1.default.valCxt}.${names_1.default.parentDataProperty}`);
        gen.var(names_1.default.rootData, (0, codegen_1._)`${names_1.default.valCxt}.${names_1.default.rootData}`);
        if (opts.dynamicRef)
          gen.var(names_1.default.dynamicAnchors, (0, codegen_1._)`${names_1.default.valCxt}.${names_1.default.dynamicAnchors}`);
      }, () => {
        gen.var(names_1.default.instancePath, (0, codegen_1._)`""`);
        gen.var(names_1.default.parentData, (0, codegen_1._)`undefined`);
        gen.var(names_1.default.parentDataProperty, (0, codegen_1._)`undefined`);
        gen.var(names_1.default.rootData, names_1.default.data);
        if (opts.dynamicRef)
          gen.var(names_1.default.dynamicAnchors, (0, codegen_1._)`{}`);
      });
    }
    function topSchemaObjCode(it) {
      const { schema, opts, gen } = it;
      validateFunction(it, () => {
        if (opts.$comment && schema.$comment)
          commentKeyword(it);
        checkNoDefault(it);
        gen.let(names_1.default.vErrors, null);
        gen.let(names_1.default.errors, 0);
        if (opts.unevaluated)
          resetEvaluated(it);
        typeAndKeywords(it);
        returnResults(it);
      });
      return;
    }
    function resetEvaluated(it) {
      const { gen, validateName } = it;
      it.evaluated = gen.const("evaluated", (0, codegen_1._)`${validateName}.evaluated`);
      gen.if((0, codegen_1._)`${it.evaluated}.dynamicProps`, () => gen.assign((0, codegen_1._)`${it.evaluated}.props`, (0, codegen_1._)`undefined`));
      gen.if((0, codegen_1._)`${it.evaluated}.dynamicItems`, () => gen.assign((0, codegen_1._)`${it.evaluated}.items`, (0, codegen_1._)`undefined`));
    }
    function funcSourceUrl(schema, opts) {
      const schId = typeof schema == "object" && schema[opts.schemaId];
      return schId && (opts.code.source || opts.code.process) ? (0, codegen_1._)`/*# sourceURL=${schId} */` : codegen_1.nil;
    }
    function subschemaCode(it, valid) {
      if (isSchemaObj(it)) {
        checkKeywords(it);
        if (schemaCxtHasRules(it)) {
          subSchemaObjCode(it, valid);
          return;
        }
      }
      (0, boolSchema_1.boolOrEmptySchema)(it, valid);
    }
    function schemaCxtHasRules({ schema, self }) {
      if (typeof schema == "boolean")
        return !schema;
      for (const key in schema)
        if (self.RULES.all[key])
          return true;
      return false;
    }
    function isSchemaObj(it) {
      return typeof it.schema != "boolean";
    }
    function subSchemaObjCode(it, valid) {
      const { schema, gen, opts } = it;
      if (opts.$comment && schema.$comment)
        commentKeyword(it);
      updateContext(it);
      checkAsyncSchema(it);
      const errsCount = gen.const("_errs", names_1.default.errors);
      typeAndKeywords(it, errsCount);
      gen.var(valid, (0, codegen_1._)`${errsCount} === ${names_1.default.errors}`);
    }
    function checkKeywords(it) {
      (0, util_1.checkUnknownRules)(it);
      checkRefsAndKeywords(it);
    }
    function typeAndKeywords(it, errsCount) {
      if (it.opts.jtd)
        return schemaKeywords(it, [], false, errsCount);
      const types = (0, dataType_1.getSchemaTypes)(it.schema);
      const checkedTypes = (0, dataType_1.coerceAndCheckDataType)(it, types);
      schemaKeywords(it, types, !checkedTypes, errsCount);
    }
    function checkRefsAndKeywords(it) {
      const { schema, errSchemaPath, opts, self } = it;
      if (schema.$ref && opts.ignoreKeywordsWithRef && (0, util_1.schemaHasRulesButRef)(schema, self.RULES)) {
        self.logger.warn(`$ref: keywords ignored in schema at path "${errSchemaPath}"`);
      }
    }
    function checkNoDefault(it) {
      const { schema, opts } = it;
      if (schema.default !== void 0 && opts.useDefaults && opts.strictSchema) {
        (0, util_1.checkStrictMode)(it, "default is ignored in the schema root");
      }
    }
    function updateContext(it) {
      const schId = it.schema[it.opts.schemaId];
      if (schId)
        it.baseId = (0, resolve_1.resolveUrl)(it.opts.uriResolver, it.baseId, schId);
    }
    function checkAsyncSchema(it) {
      if (it.schema.$async && !it.schemaEnv.$async)
        throw new Error("async schema in sync schema");
    }
    function commentKeyword({ gen, schemaEnv, schema, errSchemaPath, opts }) {
      const msg = schema.$comment;
      if (opts.$comment === true) {
        gen.code((0, codegen_1._)`${names_1.default.self}.logger.log(${msg})`);
      } else if (typeof opts.$comment == "function") {
        const schemaPath = (0, codegen_1.str)`${errSchemaPath}/$comment`;
        const rootName = gen.scopeValue("root", { ref: schemaEnv.root });
        gen.code((0, codegen_1._)`${names_1.default.self}.opts.$comment(${msg}, ${schemaPath}, ${rootName}.schema)`);
      }
    }
    function returnResults(it) {
      const { gen, schemaEnv, validateName, ValidationError, opts } = it;
      if (schemaEnv.$async) {
        gen.if((0, codegen_1._)`${names_1.default.errors} === 0`, () => gen.return(names_1.default.data), () => gen.throw((0, codegen_1._)`new ${ValidationError}(${names_1.default.vErrors})`));
      } else {
        gen.assign((0, codegen_1._)`${validateName}.errors`, names_1.default.vErrors);
        if (opts.unevaluated)
          assignEvaluated(it);
        gen.return((0, codegen_1._)`${names_1.default.errors} === 0`);
      }
    }
    function assignEvaluated({ gen, evaluated, props, items }) {
      if (props instanceof codegen_1.Name)
        gen.assign((0, codegen_1._)`${evaluated}.props`, props);
      if (items instanceof codegen_1.Name)
        gen.assign((0, codegen_1._)`${evaluated}.items`, items);
    }
    function schemaKeywords(it, types, typeErrors, errsCount) {
      const { gen, schema, data, allErrors, opts, self } = it;
      const { RULES: RULES2 } = self;
      if (schema.$ref && (opts.ignoreKeywordsWithRef || !(0, util_1.schemaHasRulesButRef)(schema, RULES2))) {
        gen.block(() => keywordCode(it, "$ref", RULES2.all.$ref.definition));
        return;
      }
      if (!opts.jtd)
        checkStrictTypes(it, types);
      gen.block(() => {
        for (const group of RULES2.rules)
          groupKeywords(group);
        groupKeywords(RULES2.post);
      });
      function groupKeywords(group) {
        if (!(0, applicability_1.shouldUseGroup)(schema, group))
          return;
        if (group.type) {
          gen.if((0, dataType_2.checkDataType)(group.type, data, opts.strictNumbers));
          iterateKeywords(it, group);
          if (types.length === 1 && types[0] === group.type && typeErrors) {
            gen.else();
            (0, dataType_2.reportTypeError)(it);
          }
          gen.endIf();
        } else {
          iterateKeywords(it, group);
        }
        if (!allErrors)
          gen.if((0, codegen_1._)`${names_1.default.errors} === ${errsCount || 0}`);
      }
    }
    function iterateKeywords(it, group) {
      const { gen, schema, opts: { useDefaults } } = it;
      if (useDefaults)
        (0, defaults_1.assignDefaults)(it, group.type);
      gen.block(() => {
        for (const rule of group.rules) {
          if ((0, applicability_1.shouldUseRule)(schema, rule)) {
            keywordCode(it, rule.keyword, rule.definition, group.type);
          }
        }
      });
    }
    function checkStrictTypes(it, types) {
      if (it.schemaEnv.meta || !it.opts.strictTypes)
        return;
      checkContextTypes(it, types);
      if (!it.opts.allowUnionTypes)
        checkMultipleTypes(it, types);
      checkKeywordTypes(it, it.dataTypes);
    }
    function checkContextTypes(it, types) {
      if (!types.length)
        return;
      if (!it.dataTypes.length) {
        it.dataTypes = types;
        return;
      }
      types.forEach((t) => {
        if (!includesType(it.dataTypes, t)) {
          strictTypesError(it, `type "${t}" not allowed by context "${it.dataTypes.join(",")}"`);
        }
      });
      narrowSchemaTypes(it, types);
    }
    function checkMultipleTypes(it, ts) {
      if (ts.length > 1 && !(ts.length === 2 && ts.includes("null"))) {
        strictTypesError(it, "use allowUnionTypes to allow union type keyword");
      }
    }
    function checkKeywordTypes(it, ts) {
      const rules = it.self.RULES.all;
      for (const keyword in rules) {
        const rule = rules[keyword];
        if (typeof rule == "object" && (0, applicability_1.shouldUseRule)(it.schema, rule)) {
          const { type } = rule.definition;
          if (type.length && !type.some((t) => hasApplicableType(ts, t))) {
            strictTypesError(it, `missing type "${type.join(",")}" for keyword "${keyword}"`);
          }
        }
      }
    }
    function hasApplicableType(schTs, kwdT) {
      return schTs.includes(kwdT) || kwdT === "number" && schTs.includes("integer");
    }
    function includesType(ts, t) {
      return ts.includes(t) || t === "integer" && ts.includes("number");
    }
    function narrowSchemaTypes(it, withTypes) {
      const ts = [];
      for (const t of it.dataTypes) {
        if (includesType(withTypes, t))
          ts.push(t);
        else if (withTypes.includes("integer") && t === "number")
          ts.push("integer");
      }
      it.dataTypes = ts;
    }
    function strictTypesError(it, msg) {
      const schemaPath = it.schemaEnv.baseId + it.errSchemaPath;
      msg += ` at "${schemaPath}" (strictTypes)`;
      (0, util_1.checkStrictMode)(it, msg, it.opts.strictTypes);
    }
    var KeywordCxt = class {
      constructor(it, def, keyword) {
        (0, keyword_1.validateKeywordUsage)(it, def, keyword);
        this.gen = it.gen;
        this.allErrors = it.allErrors;
        this.keyword = keyword;
        this.data = it.data;
        this.schema = it.schema[keyword];
        this.$data = def.$data && it.opts.$data && this.schema && this.schema.$data;
        this.schemaValue = (0, util_1.schemaRefOrVal)(it, this.schema, keyword, this.$data);
        this.schemaType = def.schemaType;
        this.parentSchema = it.schema;
        this.params = {};
        this.it = it;
        this.def = def;
        if (this.$data) {
          this.schemaCode = it.gen.const("vSchema", getData(this.$data, it));
        } else {
          this.schemaCode = this.schemaValue;
          if (!(0, keyword_1.validSchemaType)(this.schema, def.schemaType, def.allowUndefined)) {
            throw new Error(`${keyword} value must be ${JSON.stringify(def.schemaType)}`);
          }
        }
        if ("code" in def ? def.trackErrors : def.errors !== false) {
          this.errsCount = it.gen.const("_errs", names_1.default.errors);
        }
      }
      result(condition, successAction, failAction) {
        this.failResult((0, codegen_1.not)(condition), successAction, failAction);
      }
      failResult(condition, successAction, failAction) {
        this.gen.if(condition);
        if (failAction)
          failAction();
        else
          this.error();
        if (successAction) {
          this.gen.else();
          successAction();
          if (this.allErrors)
            this.gen.endIf();
        } else {
          if (this.allErrors)
            this.gen.endIf();
          else
            this.gen.else();
        }
      }
      pass(condition, failAction) {
        this.failResult((0, codegen_1.not)(condition), void 0, failAction);
      }
      fail(condition) {
        if (condition === void 0) {
          this.error();
          if (!this.allErrors)
            this.gen.if(false);
          return;
        }
        this.gen.if(condition);
        this.error();
        if (this.allErrors)
          this.gen.endIf();
        else
          this.gen.else();
      }
      fail$data(condition) {
        if (!this.$data)
          return this.fail(condition);
        const { schemaCode } = this;
        this.fail((0, codegen_1._)`${schemaCode} !== undefined && (${(0, codegen_1.or)(this.invalid$data(), condition)})`);
      }
      error(append, errorParams, errorPaths) {
        if (errorParams) {
          this.setParams(errorParams);
          this._error(append, errorPaths);
          this.setParams({});
          return;
        }
        this._error(append, errorPaths);
      }
      _error(append, errorPaths) {
        ;
        (append ? errors_1.reportExtraError : errors_1.reportError)(this, this.def.error, errorPaths);
      }
      $dataError() {
        (0, errors_1.reportError)(this, this.def.$dataError || errors_1.keyword$DataError);
      }
      reset() {
        if (this.errsCount === void 0)
          throw new Error('add "trackErrors" to keyword definition');
        (0, errors_1.resetErrorsCount)(this.gen, this.errsCount);
      }
      ok(cond) {
        if (!this.allErrors)
          this.gen.if(cond);
      }
      setParams(obj, assign) {
        if (assign)
          Object.assign(this.params, obj);
        else
          this.params = obj;
      }
      block$data(valid, codeBlock, $dataValid = codegen_1.nil) {
        this.gen.block(() => {
          this.check$data(valid, $dataValid);
          codeBlock();
        });
      }
      check$data(valid = codegen_1.nil, $dataValid = codegen_1.nil) {
        if (!this.$data)
          return;
        const { gen, schemaCode, schemaType, def } = this;
        gen.if((0, codegen_1.or)((0, codegen_1._)`${schemaCode} === undefined`, $dataValid));
        if (valid !== codegen_1.nil)
          gen.assign(valid, true);
        if (schemaType.length || def.validateSchema) {
          gen.elseIf(this.invalid$data());
          this.$dataError();
          if (valid !== codegen_1.nil)
            gen.assign(valid, false);
        }
        gen.else();
      }
      invalid$data() {
        const { gen, schemaCode, schemaType, def, it } = this;
        return (0, codegen_1.or)(wrong$DataType(), invalid$DataSchema());
        function wrong$DataType() {
          if (schemaType.length) {
            if (!(schemaCode instanceof codegen_1.Name))
              throw new Error("ajv implementation error");
            const st = Array.isArray(schemaType) ? schemaType : [schemaType];
            return (0, codegen_1._)`${(0, dataType_2.checkDataTypes)(st, schemaCode, it.opts.strictNumbers, dataType_2.DataType.Wrong)}`;
          }
          return codegen_1.nil;
        }
        function invalid$DataSchema() {
          if (def.validateSchema) {
            const validateSchemaRef = gen.scopeValue("validate$data", { ref: def.validateSchema });
            return (0, codegen_1._)`!${validateSchemaRef}(${schemaCode})`;
          }
          return codegen_1.nil;
        }
      }
      subschema(appl, valid) {
        const subschema = (0, subschema_1.getSubschema)(this.it, appl);
        (0, subschema_1.extendSubschemaData)(subschema, this.it, appl);
        (0, subschema_1.extendSubschemaMode)(subschema, appl);
        const nextContext = { ...this.it, ...subschema, items: void 0, props: void 0 };
        subschemaCode(nextContext, valid);
        return nextContext;
      }
      mergeEvaluated(schemaCxt, toName) {
        const { it, gen } = this;
        if (!it.opts.unevaluated)
          return;
        if (it.props !== true && schemaCxt.props !== void 0) {
          it.props = util_1.mergeEvaluated.props(gen, schemaCxt.props, it.props, toName);
        }
        if (it.items !== true && schemaCxt.items !== void 0) {
          it.items = util_1.mergeEvaluated.items(gen, schemaCxt.items, it.items, toName);
        }
      }
      mergeValidEvaluated(schemaCxt, valid) {
        const { it, gen } = this;
        if (it.opts.unevaluated && (it.props !== true || it.items !== true)) {
          gen.if(valid, () => this.mergeEvaluated(schemaCxt, codegen_1.Name));
          return true;
        }
      }
    };
    exports.KeywordCxt = KeywordCxt;
    function keywordCode(it, keyword, def, ruleType) {
      const cxt = new KeywordCxt(it, def, keyword);
      if ("code" in def) {
        def.code(cxt, ruleType);
      } else if (cxt.$data && def.validate) {
        (0, keyword_1.funcKeywordCode)(cxt, def);
      } else if ("macro" in def) {
        (0, keyword_1.macroKeywordCode)(cxt, def);
      } else if (def.compile || def.validate) {
        (0, keyword_1.funcKeywordCode)(cxt, def);
      }
    }
    var JSON_POINTER = /^\/(?:[^~]|~0|~1)*$/;
    var RELATIVE_JSON_POINTER = /^([0-9]+)(#|\/(?:[^~]|~0|~1)*)?$/;
    function getData($data, { dataLevel, dataNames, dataPathArr }) {
      let jsonPointer;
      let data;
      if ($data === "")
        return names_1.default.rootData;
      if ($data[0] === "/") {
        if (!JSON_POINTER.test($data))
          throw new Error(`Invalid JSON-pointer: ${$data}`);
        jsonPointer = $data;
        data = names_1.default.rootData;
      } else {
        const matches = RELATIVE_JSON_POINTER.exec($data);
        if (!matches)
          throw new Error(`Invalid JSON-pointer: ${$data}`);
        const up = +matches[1];
        jsonPointer = matches[2];
        if (jsonPointer === "#") {
          if (up >= dataLevel)
            throw new Error(errorMsg("property/index", up));
          return dataPathArr[dataLevel - up];
        }
        if (up > dataLevel)
          throw new Error(errorMsg("data", up));
        data = dataNames[dataLevel - up];
        if (!jsonPointer)
          return data;
      }
      let expr = data;
      const segments = jsonPointer.split("/");
      for (const segment of segments) {
        if (segment) {
          data = (0, codegen_1._)`${data}${(0, codegen_1.getProperty)((0, util_1.unescapeJsonPointer)(segment))}`;
          expr = (0, codegen_1._)`${expr} && ${data}`;
        }
      }
      return expr;
      function errorMsg(pointerType, up) {
        return `Cannot access ${pointerType} ${up} levels up, current level is ${dataLevel}`;
      }
    }
    exports.getData = getData;
  }
});

// node_modules/ajv/dist/runtime/validation_error.js
var require_validation_error = __commonJS({
  "node_modules/ajv/dist/runtime/validation_error.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var ValidationError = class extends Error {
      constructor(errors) {
        super("validation failed");
        this.errors = errors;
        this.ajv = this.validation = true;
      }
    };
    exports.default = ValidationError;
  }
});

// node_modules/ajv/dist/compile/ref_error.js
var require_ref_error = __commonJS({
  "node_modules/ajv/dist/compile/ref_error.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var resolve_1 = require_resolve();
    var MissingRefError = class extends Error {
      constructor(resolver, baseId, ref, msg) {
        super(msg || `can't resolve reference ${ref} from id ${baseId}`);
        this.missingRef = (0, resolve_1.resolveUrl)(resolver, baseId, ref);
        this.missingSchema = (0, resolve_1.normalizeId)((0, resolve_1.getFullPath)(resolver, this.missingRef));
      }
    };
    exports.default = MissingRefError;
  }
});

// node_modules/ajv/dist/compile/index.js
var require_compile = __commonJS({
  "node_modules/ajv/dist/compile/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.resolveSchema = exports.getCompilingSchema = exports.resolveRef = exports.compileSchema = exports.SchemaEnv = void 0;
    var codegen_1 = require_codegen();
    var validation_error_1 = require_validation_error();
    var names_1 = require_names();
    var resolve_1 = require_resolve();
    var util_1 = require_util();
    var validate_1 = require_validate();
    var SchemaEnv = class {
      constructor(env) {
        var _a;
        this.refs = {};
        this.dynamicAnchors = {};
        let schema;
        if (typeof env.schema == "object")
          schema = env.schema;
        this.schema = env.schema;
        this.schemaId = env.schemaId;
        this.root = env.root || this;
        this.baseId = (_a = env.baseId) !== null && _a !== void 0 ? _a : (0, resolve_1.normalizeId)(schema === null || schema === void 0 ? void 0 : schema[env.schemaId || "$id"]);
        this.schemaPath = env.schemaPath;
        this.localRefs = env.localRefs;
        this.meta = env.meta;
        this.$async = schema === null || schema === void 0 ? void 0 : schema.$async;
        this.refs = {};
      }
    };
    exports.SchemaEnv = SchemaEnv;
    function compileSchema(sch) {
      const _sch = getCompilingSchema.call(this, sch);
      if (_sch)
        return _sch;
      const rootId = (0, resolve_1.getFullPath)(this.opts.uriResolver, sch.root.baseId);
      const { es5, lines } = this.opts.code;
      const { ownProperties } = this.opts;
      const gen = new codegen_1.CodeGen(this.scope, { es5, lines, ownProperties });
      let _ValidationError;
      if (sch.$async) {
        _ValidationError = gen.scopeValue("Error", {
          ref: validation_error_1.default,
          code: (0, codegen_1._)`require("ajv/dist/runtime/validation_error").default`
        });
      }
      const validateName = gen.scopeName("validate");
      sch.validateName = validateName;
      const schemaCxt = {
        gen,
        allErrors: this.opts.allErrors,
        data: names_1.default.data,
        parentData: names_1.default.parentData,
        parentDataProperty: names_1.default.parentDataProperty,
        dataNames: [names_1.default.data],
        dataPathArr: [codegen_1.nil],
        // TODO can its length be used as dataLevel if nil is removed?
        dataLevel: 0,
        dataTypes: [],
        definedProperties: /* @__PURE__ */ new Set(),
        topSchemaRef: gen.scopeValue("schema", this.opts.code.source === true ? { ref: sch.schema, code: (0, codegen_1.stringify)(sch.schema) } : { ref: sch.schema }),
        validateName,
        ValidationError: _ValidationError,
        schema: sch.schema,
        schemaEnv: sch,
        rootId,
        baseId: sch.baseId || rootId,
        schemaPath: codegen_1.nil,
        errSchemaPath: sch.schemaPath || (this.opts.jtd ? "" : "#"),
        errorPath: (0, codegen_1._)`""`,
        opts: this.opts,
        self: this
      };
      let sourceCode;
      try {
        this._compilations.add(sch);
        (0, validate_1.validateFunctionCode)(schemaCxt);
        gen.optimize(this.opts.code.optimize);
        const validateCode = gen.toString();
        sourceCode = `${gen.scopeRefs(names_1.default.scope)}return ${validateCode}`;
        if (this.opts.code.process)
          sourceCode = this.opts.code.process(sourceCode, sch);
        const makeValidate = new Function(`${names_1.default.self}`, `${names_1.default.scope}`, sourceCode);
        const validate = makeValidate(this, this.scope.get());
        this.scope.value(validateName, { ref: validate });
        validate.errors = null;
        validate.schema = sch.schema;
        validate.schemaEnv = sch;
        if (sch.$async)
          validate.$async = true;
        if (this.opts.code.source === true) {
          validate.source = { validateName, validateCode, scopeValues: gen._values };
        }
        if (this.opts.unevaluated) {
          const { props, items } = schemaCxt;
          validate.evaluated = {
            props: props instanceof codegen_1.Name ? void 0 : props,
            items: items instanceof codegen_1.Name ? void 0 : items,
            dynamicProps: props instanceof codegen_1.Name,
            dynamicItems: items instanceof codegen_1.Name
          };
          if (validate.source)
            validate.source.evaluated = (0, codegen_1.stringify)(validate.evaluated);
        }
        sch.validate = validate;
        return sch;
      } catch (e) {
        delete sch.validate;
        delete sch.validateName;
        if (sourceCode)
          this.logger.error("Error compiling schema, function code:", sourceCode);
        throw e;
      } finally {
        this._compilations.delete(sch);
      }
    }
    exports.compileSchema = compileSchema;
    function resolveRef(root, baseId, ref) {
      var _a;
      ref = (0, resolve_1.resolveUrl)(this.opts.uriResolver, baseId, ref);
      const schOrFunc = root.refs[ref];
      if (schOrFunc)
        return schOrFunc;
      let _sch = resolve3.call(this, root, ref);
      if (_sch === void 0) {
        const schema = (_a = root.localRefs) === null || _a === void 0 ? void 0 : _a[ref];
        const { schemaId } = this.opts;
        if (schema)
          _sch = new SchemaEnv({ schema, schemaId, root, baseId });
      }
      if (_sch === void 0)
        return;
      return root.refs[ref] = inlineOrCompile.call(this, _sch);
    }
    exports.resolveRef = resolveRef;
    function inlineOrCompile(sch) {
      if ((0, resolve_1.inlineRef)(sch.schema, this.opts.inlineRefs))
        return sch.schema;
      return sch.validate ? sch : compileSchema.call(this, sch);
    }
    function getCompilingSchema(schEnv) {
      for (const sch of this._compilations) {
        if (sameSchemaEnv(sch, schEnv))
          return sch;
      }
    }
    exports.getCompilingSchema = getCompilingSchema;
    function sameSchemaEnv(s1, s2) {
      return s1.schema === s2.schema && s1.root === s2.root && s1.baseId === s2.baseId;
    }
    function resolve3(root, ref) {
      let sch;
      while (typeof (sch = this.refs[ref]) == "string")
        ref = sch;
      return sch || this.schemas[ref] || resolveSchema.call(this, root, ref);
    }
    function resolveSchema(root, ref) {
      const p = this.opts.uriResolver.parse(ref);
      const refPath = (0, resolve_1._getFullPath)(this.opts.uriResolver, p);
      let baseId = (0, resolve_1.getFullPath)(this.opts.uriResolver, root.baseId, void 0);
      if (Object.keys(root.schema).length > 0 && refPath === baseId) {
        return getJsonPointer.call(this, p, root);
      }
      const id = (0, resolve_1.normalizeId)(refPath);
      const schOrRef = this.refs[id] || this.schemas[id];
      if (typeof schOrRef == "string") {
        const sch = resolveSchema.call(this, root, schOrRef);
        if (typeof (sch === null || sch === void 0 ? void 0 : sch.schema) !== "object")
          return;
        return getJsonPointer.call(this, p, sch);
      }
      if (typeof (schOrRef === null || schOrRef === void 0 ? void 0 : schOrRef.schema) !== "object")
        return;
      if (!schOrRef.validate)
        compileSchema.call(this, schOrRef);
      if (id === (0, resolve_1.normalizeId)(ref)) {
        const { schema } = schOrRef;
        const { schemaId } = this.opts;
        const schId = schema[schemaId];
        if (schId)
          baseId = (0, resolve_1.resolveUrl)(this.opts.uriResolver, baseId, schId);
        return new SchemaEnv({ schema, schemaId, root, baseId });
      }
      return getJsonPointer.call(this, p, schOrRef);
    }
    exports.resolveSchema = resolveSchema;
    var PREVENT_SCOPE_CHANGE = /* @__PURE__ */ new Set([
      "properties",
      "patternProperties",
      "enum",
      "dependencies",
      "definitions"
    ]);
    function getJsonPointer(parsedRef, { baseId, schema, root }) {
      var _a;
      if (((_a = parsedRef.fragment) === null || _a === void 0 ? void 0 : _a[0]) !== "/")
        return;
      for (const part of parsedRef.fragment.slice(1).split("/")) {
        if (typeof schema === "boolean")
          return;
        const partSchema = schema[(0, util_1.unescapeFragment)(part)];
        if (partSchema === void 0)
          return;
        schema = partSchema;
        const schId = typeof schema === "object" && schema[this.opts.schemaId];
        if (!PREVENT_SCOPE_CHANGE.has(part) && schId) {
          baseId = (0, resolve_1.resolveUrl)(this.opts.uriResolver, baseId, schId);
        }
      }
      let env;
      if (typeof schema != "boolean" && schema.$ref && !(0, util_1.schemaHasRulesButRef)(schema, this.RULES)) {
        const $ref = (0, resolve_1.resolveUrl)(this.opts.uriResolver, baseId, schema.$ref);
        env = resolveSchema.call(this, root, $ref);
      }
      const { schemaId } = this.opts;
      env = env || new SchemaEnv({ schema, schemaId, root, baseId });
      if (env.schema !== env.root.schema)
        return env;
      return void 0;
    }
  }
});

// node_modules/ajv/dist/refs/data.json
var require_data = __commonJS({
  "node_modules/ajv/dist/refs/data.json"(exports, module) {
    module.exports = {
      $id: "https://raw.githubusercontent.com/ajv-validator/ajv/master/lib/refs/data.json#",
      description: "Meta-schema for $data reference (JSON AnySchema extension proposal)",
      type: "object",
      required: ["$data"],
      properties: {
        $data: {
          type: "string",
          anyOf: [{ format: "relative-json-pointer" }, { format: "json-pointer" }]
        }
      },
      additionalProperties: false
    };
  }
});

// node_modules/fast-uri/lib/utils.js
var require_utils = __commonJS({
  "node_modules/fast-uri/lib/utils.js"(exports, module) {
    "use strict";
    var isUUID = RegExp.prototype.test.bind(/^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/iu);
    var isIPv4 = RegExp.prototype.test.bind(/^(?:(?:25[0-5]|2[0-4]\d|1\d{2}|[1-9]\d|\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d{2}|[1-9]\d|\d)$/u);
    var isPort = RegExp.prototype.test.bind(/^\d*$/u);
    var isHexPair = RegExp.prototype.test.bind(/^[\da-f]{2}$/iu);
    var isUnreserved = RegExp.prototype.test.bind(/^[\da-z\-._~]$/iu);
    var isPathCharacter = RegExp.prototype.test.bind(/^[A-Za-z0-9\-._~!$&'()*+,;=:@/]$/u);
    var isQueryFragmentCharacter = RegExp.prototype.test.bind(/^[A-Za-z0-9\-._~!$&'()*+,;=:@/?]$/u);
    var isUserinfoCharacter = RegExp.prototype.test.bind(/^[A-Za-z0-9\-._~!$&'()*+,;=:]$/u);
    var BYTE_HEX = new Array(256);
    {
      const HEX_DIGITS = "0123456789ABCDEF";
      for (let i = 0; i < 256; i++) {
        BYTE_HEX[i] = "%" + HEX_DIGITS[i >> 4] + HEX_DIGITS[i & 15];
      }
    }
    function percentEncodeNonAscii(cp) {
      if (cp < 2048) {
        return BYTE_HEX[192 | cp >> 6] + BYTE_HEX[128 | cp & 63];
      }
      if (cp < 65536) {
        return BYTE_HEX[224 | cp >> 12] + BYTE_HEX[128 | cp >> 6 & 63] + BYTE_HEX[128 | cp & 63];
      }
      return BYTE_HEX[240 | cp >> 18] + BYTE_HEX[128 | cp >> 12 & 63] + BYTE_HEX[128 | cp >> 6 & 63] + BYTE_HEX[128 | cp & 63];
    }
    function stringArrayToHexStripped(input) {
      let acc = "";
      let code2 = 0;
      let i = 0;
      for (i = 0; i < input.length; i++) {
        code2 = input[i].charCodeAt(0);
        if (code2 === 48) {
          continue;
        }
        if (!(code2 >= 48 && code2 <= 57 || code2 >= 65 && code2 <= 70 || code2 >= 97 && code2 <= 102)) {
          return "";
        }
        acc += input[i];
        break;
      }
      for (i += 1; i < input.length; i++) {
        code2 = input[i].charCodeAt(0);
        if (!(code2 >= 48 && code2 <= 57 || code2 >= 65 && code2 <= 70 || code2 >= 97 && code2 <= 102)) {
          return "";
        }
        acc += input[i];
      }
      return acc;
    }
    var isHextet = RegExp.prototype.test.bind(/^[\dA-Fa-f]{1,4}$/);
    var isIPvFuture = RegExp.prototype.test.bind(/^[vV][\dA-Fa-f]+\.[A-Za-z\d\-._~!$&'()*+,;=:]+$/);
    var isZoneCharacter = RegExp.prototype.test.bind(/^[A-Za-z\d\-._~]$/);
    var nonSimpleDomain = RegExp.prototype.test.bind(/[^!"$&'()*+,\-.;=_`a-z{}~]/u);
    function isZoneIdentifier(zone) {
      if (zone.length === 0) return false;
      for (let i = 0; i < zone.length; i++) {
        if (isZoneCharacter(zone[i])) continue;
        if (zone[i] === "%" && i + 2 < zone.length && isHexPair(zone.slice(i + 1, i + 3))) {
          i += 2;
          continue;
        }
        return false;
      }
      return true;
    }
    function compressIPv6ZeroRun(hextets) {
      let bestStart = -1;
      let bestLength = 0;
      let runStart = -1;
      let runLength = 0;
      for (let i = 0; i < hextets.length; i++) {
        if (hextets[i] === "0") {
          if (runStart === -1) runStart = i;
          runLength++;
          if (runLength > bestLength) {
            bestLength = runLength;
            bestStart = runStart;
          }
        } else {
          runStart = -1;
          runLength = 0;
        }
      }
      if (bestLength < 2) return hextets.join(":");
      const head = hextets.slice(0, bestStart).join(":");
      const tail = hextets.slice(bestStart + bestLength).join(":");
      return head + "::" + tail;
    }
    function normalizeIPv6Address(input) {
      const compression = input.indexOf("::");
      if (compression !== -1 && input.indexOf("::", compression + 1) !== -1) return void 0;
      const left = compression === -1 ? input.split(":") : input.slice(0, compression).split(":");
      const right = compression === -1 ? [] : input.slice(compression + 2).split(":");
      if (compression !== -1) {
        if (left.length === 1 && left[0] === "") left.length = 0;
        if (right.length === 1 && right[0] === "") right.length = 0;
      }
      const parts = left.concat(right);
      let hextetCount = 0;
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i];
        if (part === "") return void 0;
        if (part.indexOf(".") !== -1) {
          if (i !== parts.length - 1 || compression !== -1 && right.length === 0 || !isIPv4(part)) return void 0;
          hextetCount += 2;
          continue;
        }
        if (!isHextet(part)) return void 0;
        parts[i] = parseInt(part, 16).toString(16);
        hextetCount++;
      }
      if (compression === -1) {
        if (hextetCount !== 8) return void 0;
        return compressIPv6ZeroRun(parts);
      }
      if (hextetCount >= 8) return void 0;
      const expanded = parts.slice(0, left.length);
      for (let i = hextetCount; i < 8; i++) expanded.push("0");
      for (let i = left.length; i < parts.length; i++) expanded.push(parts[i]);
      return compressIPv6ZeroRun(expanded);
    }
    function normalizeIPv6(host) {
      const bracketed = host[0] === "[" && host[host.length - 1] === "]";
      const hasBracket = host[0] === "[" || host[host.length - 1] === "]";
      if (hasBracket && !bracketed) return { host, isIPV6: false, error: true };
      let input = bracketed ? host.slice(1, -1) : host;
      if (bracketed && isIPvFuture(input)) {
        input = input.toLowerCase();
        return { host: `[${input}]`, escapedHost: input, isIPV6: false, isIPVFuture: true };
      }
      if (findToken(input, ":") < 2) {
        return { host, isIPV6: false, error: bracketed };
      }
      let zoneIdentifier = "";
      const zoneSeparator = input.indexOf("%");
      if (zoneSeparator !== -1) {
        const separatorLength = input.slice(zoneSeparator, zoneSeparator + 3).toLowerCase() === "%25" ? 3 : 1;
        zoneIdentifier = input.slice(zoneSeparator + separatorLength);
        if (!isZoneIdentifier(zoneIdentifier)) return { host, isIPV6: false, error: true };
        input = input.slice(0, zoneSeparator);
      }
      const address = normalizeIPv6Address(input);
      if (address === void 0) return { host, isIPV6: false, error: true };
      return {
        host: address + (zoneIdentifier ? "%" + zoneIdentifier : ""),
        escapedHost: address + (zoneIdentifier ? "%25" + zoneIdentifier : ""),
        isIPV6: true
      };
    }
    function findToken(str, token2) {
      let ind = 0;
      for (let i = 0; i < str.length; i++) {
        if (str[i] === token2) ind++;
      }
      return ind;
    }
    function removeDotSegments(path) {
      let input = path;
      const output = [];
      let nextSlash = -1;
      let len = 0;
      while (len = input.length) {
        if (len === 1) {
          if (input === ".") {
            break;
          } else if (input === "/") {
            output.push("/");
            break;
          } else {
            output.push(input);
            break;
          }
        } else if (len === 2) {
          if (input[0] === ".") {
            if (input[1] === ".") {
              break;
            } else if (input[1] === "/") {
              input = input.slice(2);
              continue;
            }
          } else if (input[0] === "/") {
            if (input[1] === "." || input[1] === "/") {
              output.push("/");
              break;
            }
          }
        } else if (len === 3) {
          if (input === "/..") {
            if (output.length !== 0) {
              output.pop();
            }
            output.push("/");
            break;
          }
        }
        if (input[0] === ".") {
          if (input[1] === ".") {
            if (input[2] === "/") {
              input = input.slice(3);
              continue;
            }
          } else if (input[1] === "/") {
            input = input.slice(2);
            continue;
          }
        } else if (input[0] === "/") {
          if (input[1] === ".") {
            if (input[2] === "/") {
              input = input.slice(2);
              continue;
            } else if (input[2] === ".") {
              if (input[3] === "/") {
                input = input.slice(3);
                if (output.length !== 0) {
                  output.pop();
                }
                continue;
              }
            }
          }
        }
        if ((nextSlash = input.indexOf("/", 1)) === -1) {
          output.push(input);
          break;
        } else {
          output.push(input.slice(0, nextSlash));
          input = input.slice(nextSlash);
        }
      }
      return output.join("");
    }
    function removeDotSegmentsRelative(path) {
      if (path === "" || path[0] === "/") {
        return removeDotSegments(path);
      }
      const segments = path.split("/");
      const last = segments.length - 1;
      const output = [];
      let trailingDirectory = false;
      for (let i = 0; i <= last; i++) {
        const segment = segments[i];
        if (segment === "." || segment === "..") {
          if (segment === "..") {
            if (output.length !== 0 && output[output.length - 1] !== "..") {
              output.pop();
            } else {
              output.push("..");
            }
          }
          trailingDirectory = i === last;
        } else {
          output.push(segment);
        }
      }
      if (trailingDirectory && output[output.length - 1] !== "..") {
        output.push("");
      }
      if (output.length === 0 || output[0] === "" || output[0].includes(":")) {
        output.unshift(".");
      }
      return output.join("/");
    }
    var HOST_DELIMS = { "@": "%40", "/": "%2F", "?": "%3F", "#": "%23", ":": "%3A" };
    var HOST_DELIM_RE = /[@/?#:]/g;
    var HOST_DELIM_NO_COLON_RE = /[@/?#]/g;
    function reescapeHostDelimiters(host, isIP) {
      const re2 = isIP ? HOST_DELIM_NO_COLON_RE : HOST_DELIM_RE;
      re2.lastIndex = 0;
      return host.replace(re2, (ch) => HOST_DELIMS[ch]);
    }
    function normalizePercentEncoding(input, decodeUnreserved = false) {
      if (input.indexOf("%") === -1) {
        return input;
      }
      let output = "";
      for (let i = 0; i < input.length; i++) {
        if (input[i] === "%" && i + 2 < input.length) {
          const hex = input.slice(i + 1, i + 3);
          if (isHexPair(hex)) {
            const normalizedHex = hex.toUpperCase();
            const decoded = String.fromCharCode(parseInt(normalizedHex, 16));
            if (decodeUnreserved && isUnreserved(decoded)) {
              output += decoded;
            } else {
              output += "%" + normalizedHex;
            }
            i += 2;
            continue;
          }
        }
        output += input[i];
      }
      return output;
    }
    function normalizePathEncoding(input) {
      let output = "";
      for (let i = 0; i < input.length; i++) {
        const ch = input[i];
        if (ch === "%" && i + 2 < input.length) {
          const hex = input.slice(i + 1, i + 3);
          if (isHexPair(hex)) {
            const normalizedHex = hex.toUpperCase();
            const decoded = String.fromCharCode(parseInt(normalizedHex, 16));
            if (decoded !== "." && isUnreserved(decoded)) {
              output += decoded;
            } else {
              output += "%" + normalizedHex;
            }
            i += 2;
            continue;
          }
        }
        if (isPathCharacter(ch)) {
          output += ch;
        } else {
          const code2 = input.charCodeAt(i);
          if (code2 < 128) {
            output += isEscapeSafe(code2) ? ch : BYTE_HEX[code2];
          } else if (code2 < 55296 || code2 > 57343) {
            output += percentEncodeNonAscii(code2);
          } else if (code2 <= 56319 && i + 1 < input.length) {
            const low = input.charCodeAt(i + 1);
            if (low >= 56320 && low <= 57343) {
              output += percentEncodeNonAscii(65536 + (code2 - 55296 << 10) + (low - 56320));
              i++;
            } else {
              output += percentEncodeNonAscii(65533);
            }
          } else {
            output += percentEncodeNonAscii(65533);
          }
        }
      }
      return output;
    }
    function serializePathEncoding(input, pathNoScheme = false) {
      let output = "";
      let firstSegment = pathNoScheme && input[0] !== "/";
      for (let i = 0; i < input.length; i++) {
        const ch = input[i];
        if (ch === "%" && i + 2 < input.length) {
          const hex = input.slice(i + 1, i + 3);
          if (isHexPair(hex)) {
            output += "%" + hex.toUpperCase();
            i += 2;
            continue;
          }
        }
        if (ch === "/") {
          firstSegment = false;
        }
        if (isPathCharacter(ch) && (ch !== ":" || !firstSegment)) {
          output += ch;
        } else {
          const code2 = input.charCodeAt(i);
          if (code2 < 128) {
            output += BYTE_HEX[code2];
          } else if (code2 < 55296 || code2 > 57343) {
            output += percentEncodeNonAscii(code2);
          } else if (code2 <= 56319 && i + 1 < input.length) {
            const low = input.charCodeAt(i + 1);
            if (low >= 56320 && low <= 57343) {
              output += percentEncodeNonAscii(65536 + (code2 - 55296 << 10) + (low - 56320));
              i++;
            } else {
              output += percentEncodeNonAscii(65533);
            }
          } else {
            output += percentEncodeNonAscii(65533);
          }
        }
      }
      return output;
    }
    function encodeComponent(input, isAllowed) {
      let output = "";
      for (let i = 0; i < input.length; i++) {
        const ch = input[i];
        if (ch === "%" && i + 2 < input.length) {
          const hex = input.slice(i + 1, i + 3);
          if (isHexPair(hex)) {
            output += "%" + hex.toUpperCase();
            i += 2;
            continue;
          }
        }
        if (isAllowed(ch)) {
          output += ch;
        } else {
          const code2 = input.charCodeAt(i);
          if (code2 < 128) {
            output += BYTE_HEX[code2];
          } else if (code2 < 55296 || code2 > 57343) {
            output += percentEncodeNonAscii(code2);
          } else if (code2 <= 56319 && i + 1 < input.length) {
            const low = input.charCodeAt(i + 1);
            if (low >= 56320 && low <= 57343) {
              output += percentEncodeNonAscii(65536 + (code2 - 55296 << 10) + (low - 56320));
              i++;
            } else {
              output += percentEncodeNonAscii(65533);
            }
          } else {
            output += percentEncodeNonAscii(65533);
          }
        }
      }
      return output;
    }
    function encodeUserinfo(input) {
      return encodeComponent(input, isUserinfoCharacter);
    }
    function encodeQuery(input) {
      return encodeComponent(input, isQueryFragmentCharacter);
    }
    function encodeFragment(input) {
      return encodeComponent(input, isQueryFragmentCharacter);
    }
    function isEscapeSafe(cp) {
      return cp >= 48 && cp <= 57 || cp >= 65 && cp <= 90 || cp >= 97 && cp <= 122 || cp === 42 || cp === 43 || cp === 45 || cp === 46 || cp === 47 || cp === 64 || cp === 95;
    }
    function normalizeQueryFragmentEncoding(input) {
      let output = "";
      for (let i = 0; i < input.length; i++) {
        const ch = input[i];
        if (ch === "%" && i + 2 < input.length) {
          const hex = input.slice(i + 1, i + 3);
          if (isHexPair(hex)) {
            const normalizedHex = hex.toUpperCase();
            const decoded = String.fromCharCode(parseInt(normalizedHex, 16));
            if (isUnreserved(decoded)) {
              output += decoded;
            } else {
              output += "%" + normalizedHex;
            }
            i += 2;
            continue;
          }
        }
        if (isQueryFragmentCharacter(ch)) {
          output += ch;
        } else {
          const code2 = input.charCodeAt(i);
          if (code2 < 128) {
            output += isEscapeSafe(code2) ? ch : BYTE_HEX[code2];
          } else if (code2 < 55296 || code2 > 57343) {
            output += percentEncodeNonAscii(code2);
          } else if (code2 <= 56319 && i + 1 < input.length) {
            const low = input.charCodeAt(i + 1);
            if (low >= 56320 && low <= 57343) {
              output += percentEncodeNonAscii(65536 + (code2 - 55296 << 10) + (low - 56320));
              i++;
            } else {
              output += percentEncodeNonAscii(65533);
            }
          } else {
            output += percentEncodeNonAscii(65533);
          }
        }
      }
      return output;
    }
    function escapePreservingEscapes(input) {
      let output = "";
      for (let i = 0; i < input.length; i++) {
        if (input[i] === "%" && i + 2 < input.length) {
          const hex = input.slice(i + 1, i + 3);
          if (isHexPair(hex)) {
            output += "%" + hex.toUpperCase();
            i += 2;
            continue;
          }
        }
        output += escape(input[i]);
      }
      return output;
    }
    function recomposeAuthority(component) {
      const uriTokens = [];
      if (component.userinfo !== void 0) {
        uriTokens.push(encodeUserinfo(component.userinfo));
        uriTokens.push("@");
      }
      if (component.host !== void 0) {
        let host = component.host;
        if (!isIPv4(host)) {
          let ipV6res = normalizeIPv6(host);
          if (ipV6res.isIPV6 !== true && ipV6res.isIPVFuture !== true) {
            host = normalizePercentEncoding(host, true);
            ipV6res = normalizeIPv6(host);
          }
          if (ipV6res.isIPV6 === true || ipV6res.isIPVFuture === true) {
            host = `[${ipV6res.escapedHost}]`;
          } else {
            host = reescapeHostDelimiters(host, false);
          }
        }
        uriTokens.push(host);
      }
      if (typeof component.port === "number" || typeof component.port === "string") {
        const port = String(component.port);
        if (!isPort(port)) {
          throw new TypeError("URI port is malformed.");
        }
        uriTokens.push(":");
        uriTokens.push(port);
      }
      return uriTokens.length ? uriTokens.join("") : void 0;
    }
    module.exports = {
      nonSimpleDomain,
      recomposeAuthority,
      reescapeHostDelimiters,
      normalizePercentEncoding,
      normalizePathEncoding,
      serializePathEncoding,
      normalizeQueryFragmentEncoding,
      encodeUserinfo,
      encodeQuery,
      encodeFragment,
      escapePreservingEscapes,
      removeDotSegments,
      removeDotSegmentsRelative,
      isIPv4,
      isUUID,
      normalizeIPv6,
      stringArrayToHexStripped
    };
  }
});

// node_modules/fast-uri/lib/schemes.js
var require_schemes = __commonJS({
  "node_modules/fast-uri/lib/schemes.js"(exports, module) {
    "use strict";
    var { isUUID } = require_utils();
    var URN_REG = /^([\da-z][\d\-a-z]{0,31}):((?:[\w!$'()*+,\-./:;=@]|%[\da-f]{2})+)$/iu;
    var supportedSchemeNames = (
      /** @type {const} */
      [
        "http",
        "https",
        "ws",
        "wss",
        "urn",
        "urn:uuid"
      ]
    );
    function isValidSchemeName(name) {
      return supportedSchemeNames.indexOf(
        /** @type {*} */
        name
      ) !== -1;
    }
    function wsIsSecure(wsComponent) {
      if (wsComponent.secure === true) {
        return true;
      } else if (wsComponent.secure === false) {
        return false;
      } else if (wsComponent.scheme) {
        return wsComponent.scheme.length === 3 && (wsComponent.scheme[0] === "w" || wsComponent.scheme[0] === "W") && (wsComponent.scheme[1] === "s" || wsComponent.scheme[1] === "S") && (wsComponent.scheme[2] === "s" || wsComponent.scheme[2] === "S");
      } else {
        return false;
      }
    }
    function httpParse(component) {
      if (!component.host) {
        component.error = component.error || "HTTP URIs must have a host.";
      }
      return component;
    }
    function httpSerialize(component) {
      const secure = String(component.scheme).toLowerCase() === "https";
      if (component.port === (secure ? 443 : 80) || component.port === "") {
        component.port = void 0;
      }
      if (!component.path) {
        component.path = "/";
      }
      return component;
    }
    function wsParse(wsComponent) {
      wsComponent.secure = wsIsSecure(wsComponent);
      wsComponent.resourceName = (wsComponent.path || "/") + (wsComponent.query ? "?" + wsComponent.query : "");
      wsComponent.path = void 0;
      wsComponent.query = void 0;
      return wsComponent;
    }
    function wsSerialize(wsComponent) {
      if (wsComponent.port === (wsIsSecure(wsComponent) ? 443 : 80) || wsComponent.port === "") {
        wsComponent.port = void 0;
      }
      if (typeof wsComponent.secure === "boolean") {
        wsComponent.scheme = wsComponent.secure ? "wss" : "ws";
        wsComponent.secure = void 0;
      }
      if (wsComponent.resourceName) {
        const queryIndex = wsComponent.resourceName.indexOf("?");
        const path = queryIndex === -1 ? wsComponent.resourceName : wsComponent.resourceName.slice(0, queryIndex);
        wsComponent.path = path && path !== "/" ? path : void 0;
        wsComponent.query = queryIndex === -1 ? void 0 : wsComponent.resourceName.slice(queryIndex + 1);
        wsComponent.resourceName = void 0;
      }
      wsComponent.fragment = void 0;
      return wsComponent;
    }
    function urnParse(urnComponent, options) {
      if (!urnComponent.path) {
        urnComponent.error = "URN can not be parsed";
        return urnComponent;
      }
      const matches = urnComponent.path.match(URN_REG);
      if (matches && matches[0] === urnComponent.path) {
        const scheme = options.scheme || urnComponent.scheme || "urn";
        urnComponent.nid = matches[1].toLowerCase();
        urnComponent.nss = matches[2];
        const urnScheme = `${scheme}:${options.nid || urnComponent.nid}`;
        const schemeHandler = getSchemeHandler(urnScheme);
        urnComponent.path = void 0;
        if (schemeHandler) {
          urnComponent = schemeHandler.parse(urnComponent, options);
        }
      } else {
        urnComponent.error = urnComponent.error || "URN can not be parsed.";
      }
      return urnComponent;
    }
    function urnSerialize(urnComponent, options) {
      if (urnComponent.nid === void 0) {
        throw new Error("URN without nid cannot be serialized");
      }
      const scheme = options.scheme || urnComponent.scheme || "urn";
      const nid = urnComponent.nid.toLowerCase();
      const urnScheme = `${scheme}:${options.nid || nid}`;
      const schemeHandler = getSchemeHandler(urnScheme);
      if (schemeHandler) {
        urnComponent = schemeHandler.serialize(urnComponent, options);
      }
      const uriComponent = urnComponent;
      const nss = urnComponent.nss;
      uriComponent.path = `${nid || options.nid}:${nss}`;
      options.skipEscape = true;
      return uriComponent;
    }
    function urnuuidParse(urnComponent, options) {
      const uuidComponent = urnComponent;
      uuidComponent.uuid = uuidComponent.nss;
      uuidComponent.nss = void 0;
      if (!options.tolerant && (!uuidComponent.uuid || !isUUID(uuidComponent.uuid))) {
        uuidComponent.error = uuidComponent.error || "UUID is not valid.";
      }
      return uuidComponent;
    }
    function urnuuidSerialize(uuidComponent) {
      const urnComponent = uuidComponent;
      urnComponent.nss = (uuidComponent.uuid || "").toLowerCase();
      return urnComponent;
    }
    var http = (
      /** @type {SchemeHandler} */
      {
        scheme: "http",
        domainHost: true,
        parse: httpParse,
        serialize: httpSerialize
      }
    );
    var https = (
      /** @type {SchemeHandler} */
      {
        scheme: "https",
        domainHost: http.domainHost,
        parse: httpParse,
        serialize: httpSerialize
      }
    );
    var ws = (
      /** @type {SchemeHandler} */
      {
        scheme: "ws",
        domainHost: true,
        parse: wsParse,
        serialize: wsSerialize
      }
    );
    var wss = (
      /** @type {SchemeHandler} */
      {
        scheme: "wss",
        domainHost: ws.domainHost,
        parse: ws.parse,
        serialize: ws.serialize
      }
    );
    var urn = (
      /** @type {SchemeHandler} */
      {
        scheme: "urn",
        parse: urnParse,
        serialize: urnSerialize,
        skipNormalize: true
      }
    );
    var urnuuid = (
      /** @type {SchemeHandler} */
      {
        scheme: "urn:uuid",
        parse: urnuuidParse,
        serialize: urnuuidSerialize,
        skipNormalize: true
      }
    );
    var SCHEMES = (
      /** @type {Record<SchemeName, SchemeHandler>} */
      {
        http,
        https,
        ws,
        wss,
        urn,
        "urn:uuid": urnuuid
      }
    );
    Object.setPrototypeOf(SCHEMES, null);
    function getSchemeHandler(scheme) {
      return scheme && (SCHEMES[
        /** @type {SchemeName} */
        scheme
      ] || SCHEMES[
        /** @type {SchemeName} */
        scheme.toLowerCase()
      ]) || void 0;
    }
    module.exports = {
      wsIsSecure,
      SCHEMES,
      isValidSchemeName,
      getSchemeHandler
    };
  }
});

// node_modules/fast-uri/index.js
var require_fast_uri = __commonJS({
  "node_modules/fast-uri/index.js"(exports, module) {
    "use strict";
    var { normalizeIPv6, removeDotSegments, removeDotSegmentsRelative, recomposeAuthority, normalizePercentEncoding, normalizePathEncoding, serializePathEncoding, normalizeQueryFragmentEncoding, encodeQuery, encodeFragment, reescapeHostDelimiters, isIPv4, nonSimpleDomain } = require_utils();
    var { SCHEMES, getSchemeHandler } = require_schemes();
    var VALID_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*$/u;
    var MALFORMED_SCHEME_ERROR = "URI scheme is malformed.";
    var MALFORMED_HOST_ERROR = "URI host is malformed.";
    var FORBIDDEN_DOMAIN_HOST_CHARACTER = /[\0-\x20"#/:<>?@[\\\]^`{|}\x7F]/u;
    function validateScheme(scheme) {
      const stringScheme = String(scheme);
      if (!VALID_SCHEME.test(stringScheme)) {
        throw new TypeError(MALFORMED_SCHEME_ERROR);
      }
      return stringScheme;
    }
    function normalize(uri, options) {
      if (typeof uri === "string") {
        uri = /** @type {T} */
        normalizeString(uri, options);
      } else if (typeof uri === "object") {
        uri = /** @type {T} */
        parse2(serialize(uri, options), options);
      }
      return uri;
    }
    function resolve3(baseURI, relativeURI, options) {
      const schemelessOptions = options ? Object.assign({ scheme: "null" }, options) : { scheme: "null" };
      const {
        parsed: baseParsed,
        malformedAuthorityOrPort: baseMalformed,
        malformedPercentEncoding: baseMalformedPercentEncoding,
        malformedSchemeSpecific: baseMalformedSchemeSpecific,
        malformedHost: baseMalformedHost,
        malformedScheme: baseMalformedScheme
      } = parseWithStatus(baseURI, schemelessOptions);
      const {
        parsed: relativeParsed,
        malformedAuthorityOrPort: relativeMalformed,
        malformedPercentEncoding: relativeMalformedPercentEncoding,
        malformedSchemeSpecific: relativeMalformedSchemeSpecific,
        malformedHost: relativeMalformedHost,
        malformedScheme: relativeMalformedScheme
      } = parseWithStatus(relativeURI, schemelessOptions);
      if (baseMalformed || relativeMalformed || baseMalformedPercentEncoding || relativeMalformedPercentEncoding || baseMalformedSchemeSpecific || relativeMalformedSchemeSpecific || baseMalformedHost || relativeMalformedHost || baseMalformedScheme || relativeMalformedScheme) {
        throw new Error(baseParsed.error || relativeParsed.error || "URI is malformed.");
      }
      const resolved = resolveComponent(baseParsed, relativeParsed, schemelessOptions, true);
      const resolvedSchemeHandler = getSchemeHandler(options && options.scheme || resolved.scheme);
      const resolvedHost = resolved.host;
      const resolvedHostIsIP = resolvedHost !== void 0 && resolvedHost !== "" && (isIPv4(resolvedHost) || normalizeIPv6(resolvedHost).isIPV6);
      if (hasForbiddenDomainHost(resolved, options || {}, resolvedSchemeHandler, resolvedHostIsIP)) {
        throw new Error(MALFORMED_HOST_ERROR);
      }
      canonicalizeHost(resolved, options || {}, resolvedSchemeHandler, resolvedHostIsIP);
      const encodedASCIIHost = resolvedHost && resolvedHost.indexOf("%") !== -1 && !new RegExp("\\P{ASCII}", "u").test(resolvedHost);
      if (resolved.error && !encodedASCIIHost) {
        throw new Error(resolved.error);
      }
      schemelessOptions.skipEscape = true;
      return serialize(resolved, schemelessOptions);
    }
    function resolveComponent(base, relative2, options, skipNormalization) {
      const target = {};
      if (!skipNormalization) {
        base = parse2(serialize(base, options), options);
        relative2 = parse2(serialize(relative2, options), options);
      }
      options = options || {};
      if (!options.tolerant && relative2.scheme) {
        target.scheme = relative2.scheme;
        target.userinfo = relative2.userinfo;
        target.host = relative2.host;
        target.port = relative2.port;
        target.path = removeDotSegments(relative2.path || "");
        target.query = relative2.query;
      } else {
        if (relative2.userinfo !== void 0 || relative2.host !== void 0 || relative2.port !== void 0) {
          target.userinfo = relative2.userinfo;
          target.host = relative2.host;
          target.port = relative2.port;
          target.path = removeDotSegments(relative2.path || "");
          target.query = relative2.query;
        } else {
          if (!relative2.path) {
            target.path = base.path;
            if (relative2.query !== void 0) {
              target.query = relative2.query;
            } else {
              target.query = base.query;
            }
          } else {
            if (relative2.path[0] === "/") {
              target.path = removeDotSegments(relative2.path);
            } else {
              const baseHasAuthority = base.userinfo !== void 0 || base.host !== void 0 || base.port !== void 0;
              if (baseHasAuthority && !base.path) {
                target.path = "/" + relative2.path;
              } else if (!base.path) {
                target.path = relative2.path;
              } else {
                target.path = base.path.slice(0, base.path.lastIndexOf("/") + 1) + relative2.path;
              }
              target.path = base.scheme === void 0 && !baseHasAuthority && target.path[0] !== "/" ? removeDotSegmentsRelative(target.path) : removeDotSegments(target.path);
            }
            target.query = relative2.query;
          }
          target.userinfo = base.userinfo;
          target.host = base.host;
          target.port = base.port;
        }
        target.scheme = base.scheme;
      }
      target.fragment = relative2.fragment;
      return target;
    }
    function equal(uriA, uriB, options) {
      const normalizedA = normalizeComparableURI(uriA, options);
      const normalizedB = normalizeComparableURI(uriB, options);
      return normalizedA !== void 0 && normalizedB !== void 0 && normalizedA === normalizedB;
    }
    function serialize(cmpts, opts) {
      const component = {
        host: cmpts.host,
        scheme: cmpts.scheme,
        userinfo: cmpts.userinfo,
        port: cmpts.port,
        path: cmpts.path,
        query: cmpts.query,
        nid: cmpts.nid,
        nss: cmpts.nss,
        uuid: cmpts.uuid,
        fragment: cmpts.fragment,
        reference: cmpts.reference,
        resourceName: cmpts.resourceName,
        secure: cmpts.secure,
        error: ""
      };
      const options = Object.assign({}, opts);
      const uriTokens = [];
      if (component.scheme) {
        component.scheme = validateScheme(component.scheme);
      }
      const schemeHandler = getSchemeHandler(options.scheme || component.scheme);
      if (schemeHandler && schemeHandler.serialize) schemeHandler.serialize(component, options);
      const hasAuthority = component.userinfo !== void 0 || component.host !== void 0 || component.port !== void 0;
      const schemelessReference = (component.scheme === void 0 || options.reference === "suffix") && !hasAuthority;
      const pathNoScheme = !options.skipEscape && schemelessReference;
      if (component.path !== void 0) {
        if (!options.skipEscape) {
          component.path = serializePathEncoding(component.path, pathNoScheme);
        } else {
          component.path = normalizePercentEncoding(component.path);
        }
      }
      if (options.reference !== "suffix" && component.scheme) {
        component.scheme = validateScheme(component.scheme);
        uriTokens.push(component.scheme, ":");
      }
      const authority = recomposeAuthority(component);
      if (authority !== void 0) {
        if (options.reference !== "suffix") {
          uriTokens.push("//");
        }
        uriTokens.push(authority);
        if (component.path && component.path[0] !== "/") {
          uriTokens.push("/");
        }
      }
      if (component.path !== void 0) {
        let s = component.path;
        if (!options.absolutePath && (!schemeHandler || !schemeHandler.absolutePath)) {
          s = schemelessReference && s[0] !== "/" ? removeDotSegmentsRelative(s) : removeDotSegments(s);
        }
        if (schemelessReference) {
          s = serializePathEncoding(s, true);
        }
        if (authority === void 0 && s[0] === "/" && s[1] === "/") {
          s = "/%2F" + s.slice(2);
        }
        uriTokens.push(s);
      }
      if (component.query !== void 0) {
        uriTokens.push("?", encodeQuery(component.query));
      }
      if (component.fragment !== void 0) {
        uriTokens.push("#", encodeFragment(component.fragment));
      }
      return uriTokens.join("");
    }
    var URI_PARSE = /^(?:([^#/:?]+):)?(?:\/\/((?:([^#/?@]*)@)?(\[[^#/?\]]+\]|[^#/:?]*)(?::(\d*))?))?([^#?]*)(?:\?([^#]*))?(?:#((?:.|[\n\r])*))?/u;
    var AUTHORITY_PREFIX = /^(?:[^#/:?]+:)?\/\/([^/?#]*)/;
    var AUTHORITY_INTRODUCER_REGION = /^(?:[^#/:?]+:)?([/\\\t\n\r]*)/;
    function getParseError(parsed, matches) {
      if (matches[2] !== void 0 && parsed.path && parsed.path[0] !== "/") {
        return 'URI path must start with "/" when authority is present.';
      }
      if (typeof parsed.port === "number" && (parsed.port < 0 || parsed.port > 65535)) {
        return "URI port is malformed.";
      }
      return void 0;
    }
    function hasMalformedPercentEncoding(component) {
      if (component === void 0) return false;
      let percent = component.indexOf("%");
      while (percent !== -1) {
        if (percent + 2 >= component.length || !/^[\da-f]{2}$/iu.test(component.slice(percent + 1, percent + 3))) {
          return true;
        }
        percent = component.indexOf("%", percent + 3);
      }
      return false;
    }
    function isIPLiteral(host) {
      return host[0] === "[" && host[host.length - 1] === "]";
    }
    function hasMalformedComponentPercentEncoding(matches) {
      const host = matches[4];
      return hasMalformedPercentEncoding(matches[3]) || host !== void 0 && !isIPLiteral(host) && hasMalformedPercentEncoding(host) || hasMalformedPercentEncoding(matches[6]) || hasMalformedPercentEncoding(matches[7]) || hasMalformedPercentEncoding(matches[8]);
    }
    function canonicalizeHost(parsed, options, schemeHandler, isIP) {
      if (hasForbiddenDomainHost(parsed, options, schemeHandler, isIP)) {
        parsed.error = parsed.error || MALFORMED_HOST_ERROR;
        return true;
      }
      if (!options.unicodeSupport && (!schemeHandler || !schemeHandler.unicodeSupport) && parsed.host && !isIPLiteral(parsed.host) && (options.domainHost || schemeHandler && schemeHandler.domainHost) && isIP === false && nonSimpleDomain(parsed.host)) {
        let url;
        try {
          url = new URL("http://" + parsed.host);
        } catch (e) {
          parsed.error = parsed.error || "Host's domain name can not be converted to ASCII: " + e;
          return true;
        }
        if (!isHostOnlyURL(url)) {
          parsed.error = parsed.error || MALFORMED_HOST_ERROR;
          return true;
        }
        parsed.host = url.hostname;
      }
      return false;
    }
    function hasForbiddenDomainHost(parsed, options, schemeHandler, isIP) {
      return Boolean(
        parsed.host && isIP === false && !isIPLiteral(parsed.host) && (options.domainHost || schemeHandler && schemeHandler.domainHost) && FORBIDDEN_DOMAIN_HOST_CHARACTER.test(parsed.host)
      );
    }
    function isHostOnlyURL(url) {
      return url.username === "" && url.password === "" && url.port === "" && url.pathname === "/" && url.search === "" && url.hash === "" && url.hostname !== "";
    }
    function parseWithStatus(uri, opts) {
      const options = Object.assign({}, opts);
      const parsed = {
        scheme: void 0,
        userinfo: void 0,
        host: "",
        port: void 0,
        path: "",
        query: void 0,
        fragment: void 0
      };
      let malformedAuthorityOrPort = false;
      let malformedPercentEncoding = false;
      let malformedSchemeSpecific = false;
      let malformedHost = false;
      let malformedIPLiteral = false;
      let malformedScheme = false;
      let isIP = false;
      if (options.reference === "suffix") {
        if (options.scheme) {
          uri = options.scheme + ":" + uri;
        } else {
          uri = "//" + uri;
        }
      }
      const authorityMatch = uri.match(AUTHORITY_PREFIX);
      if (authorityMatch !== null && authorityMatch[1].indexOf("\\") !== -1) {
        parsed.error = "URI authority must not contain a literal backslash.";
        malformedAuthorityOrPort = true;
      }
      const introducerMatch = uri.match(AUTHORITY_INTRODUCER_REGION);
      if (introducerMatch !== null) {
        const region = introducerMatch[1];
        const normalizedRegion = region.replace(/[\t\n\r]/g, "");
        if (normalizedRegion.length >= 2) {
          if (normalizedRegion.slice(0, 2) !== "//") {
            parsed.error = parsed.error || "URI authority must not contain a literal backslash.";
            malformedAuthorityOrPort = true;
          } else if (region.length !== normalizedRegion.length) {
            parsed.error = parsed.error || "URI authority introducer must not contain whitespace.";
            malformedAuthorityOrPort = true;
          }
        }
      }
      const matches = uri.match(URI_PARSE);
      if (matches) {
        parsed.scheme = matches[1];
        parsed.userinfo = matches[3];
        parsed.host = matches[4];
        parsed.port = parseInt(matches[5], 10);
        parsed.path = matches[6] || "";
        parsed.query = matches[7];
        parsed.fragment = matches[8];
        if (parsed.scheme !== void 0) {
          if (VALID_SCHEME.test(parsed.scheme)) {
            parsed.scheme = parsed.scheme.toLowerCase();
          } else {
            parsed.error = parsed.error || MALFORMED_SCHEME_ERROR;
            malformedScheme = true;
          }
        }
        malformedPercentEncoding = hasMalformedComponentPercentEncoding(matches);
        if (malformedPercentEncoding) {
          parsed.error = parsed.error || "URI contains malformed percent-encoding.";
        }
        if (isNaN(parsed.port)) {
          parsed.port = matches[5];
        }
        const parseError = getParseError(parsed, matches);
        if (parseError !== void 0) {
          parsed.error = parsed.error || parseError;
          malformedAuthorityOrPort = true;
        }
        if (parsed.host) {
          const ipv4result = isIPv4(parsed.host);
          if (ipv4result === false) {
            const bracketedIPLiteral = isIPLiteral(parsed.host);
            const hasIPLiteralBracket = parsed.host.indexOf("[") !== -1 || parsed.host.indexOf("]") !== -1;
            const ipv6result = normalizeIPv6(parsed.host);
            isIP = ipv6result.isIPV6 || ipv6result.isIPVFuture === true;
            malformedIPLiteral = hasIPLiteralBracket && (!bracketedIPLiteral || ipv6result.error === true);
            parsed.host = isIP ? ipv6result.host : ipv6result.host.toLowerCase();
            if (malformedIPLiteral) {
              parsed.error = parsed.error || MALFORMED_HOST_ERROR;
              malformedAuthorityOrPort = true;
            }
          } else {
            isIP = true;
          }
        }
        if (parsed.scheme === void 0 && parsed.userinfo === void 0 && parsed.host === void 0 && parsed.port === void 0 && parsed.query === void 0 && !parsed.path) {
          parsed.reference = "same-document";
        } else if (parsed.scheme === void 0) {
          parsed.reference = "relative";
        } else if (parsed.fragment === void 0) {
          parsed.reference = "absolute";
        } else {
          parsed.reference = "uri";
        }
        if (options.reference && options.reference !== "suffix" && options.reference !== parsed.reference) {
          parsed.error = parsed.error || "URI is not a " + options.reference + " reference.";
        }
        const schemeHandler = getSchemeHandler(options.scheme || parsed.scheme);
        if (!malformedIPLiteral) {
          malformedHost = canonicalizeHost(parsed, options, schemeHandler, isIP);
        }
        if (uri.indexOf("%") !== -1 && parsed.host !== void 0 && !malformedIPLiteral) {
          let host = isIP ? parsed.host : normalizePercentEncoding(parsed.host, true);
          if (!isIP) {
            host = normalizePercentEncoding(host.toLowerCase());
          }
          parsed.host = isIP || options.scheme !== "null" ? reescapeHostDelimiters(host, isIP) : host;
        }
        if (!schemeHandler || schemeHandler && !schemeHandler.skipNormalize) {
          if (parsed.path) {
            parsed.path = normalizePathEncoding(parsed.path);
          }
          if (parsed.query) {
            parsed.query = normalizeQueryFragmentEncoding(parsed.query);
          }
          if (parsed.fragment) {
            parsed.fragment = normalizeQueryFragmentEncoding(parsed.fragment);
          }
        }
        if (schemeHandler && schemeHandler.parse) {
          schemeHandler.parse(parsed, options);
          if (schemeHandler === SCHEMES.urn && parsed.nid === void 0) {
            malformedSchemeSpecific = true;
          }
        }
      } else {
        parsed.error = parsed.error || "URI can not be parsed.";
      }
      return { parsed, malformedAuthorityOrPort, malformedPercentEncoding, malformedSchemeSpecific, malformedHost, malformedScheme };
    }
    function parse2(uri, opts) {
      return parseWithStatus(uri, opts).parsed;
    }
    function normalizeString(uri, opts) {
      return normalizeStringWithStatus(uri, opts).normalized;
    }
    function normalizeStringWithStatus(uri, opts) {
      const { parsed, malformedAuthorityOrPort, malformedPercentEncoding, malformedSchemeSpecific, malformedHost, malformedScheme } = parseWithStatus(uri, opts);
      return {
        normalized: malformedAuthorityOrPort || malformedPercentEncoding || malformedSchemeSpecific || malformedHost || malformedScheme ? uri : serialize(parsed, opts),
        malformedAuthorityOrPort,
        malformedPercentEncoding,
        malformedSchemeSpecific,
        malformedHost,
        malformedScheme
      };
    }
    function normalizeComparableURI(uri, opts) {
      if (typeof uri !== "string" && typeof uri !== "object") {
        return void 0;
      }
      let value;
      try {
        value = typeof uri === "string" ? uri : serialize(uri, opts);
      } catch {
        return void 0;
      }
      const { normalized, malformedAuthorityOrPort, malformedPercentEncoding, malformedSchemeSpecific, malformedHost, malformedScheme } = normalizeStringWithStatus(value, opts);
      return malformedAuthorityOrPort || malformedPercentEncoding || malformedSchemeSpecific || malformedHost || malformedScheme ? void 0 : normalized;
    }
    var fastUri = {
      SCHEMES,
      normalize,
      resolve: resolve3,
      resolveComponent,
      equal,
      serialize,
      parse: parse2
    };
    module.exports = fastUri;
    module.exports.default = fastUri;
    module.exports.fastUri = fastUri;
  }
});

// node_modules/ajv/dist/runtime/uri.js
var require_uri = __commonJS({
  "node_modules/ajv/dist/runtime/uri.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var uri = require_fast_uri();
    uri.code = 'require("ajv/dist/runtime/uri").default';
    exports.default = uri;
  }
});

// node_modules/ajv/dist/core.js
var require_core = __commonJS({
  "node_modules/ajv/dist/core.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.CodeGen = exports.Name = exports.nil = exports.stringify = exports.str = exports._ = exports.KeywordCxt = void 0;
    var validate_1 = require_validate();
    Object.defineProperty(exports, "KeywordCxt", { enumerable: true, get: function() {
      return validate_1.KeywordCxt;
    } });
    var codegen_1 = require_codegen();
    Object.defineProperty(exports, "_", { enumerable: true, get: function() {
      return codegen_1._;
    } });
    Object.defineProperty(exports, "str", { enumerable: true, get: function() {
      return codegen_1.str;
    } });
    Object.defineProperty(exports, "stringify", { enumerable: true, get: function() {
      return codegen_1.stringify;
    } });
    Object.defineProperty(exports, "nil", { enumerable: true, get: function() {
      return codegen_1.nil;
    } });
    Object.defineProperty(exports, "Name", { enumerable: true, get: function() {
      return codegen_1.Name;
    } });
    Object.defineProperty(exports, "CodeGen", { enumerable: true, get: function() {
      return codegen_1.CodeGen;
    } });
    var validation_error_1 = require_validation_error();
    var ref_error_1 = require_ref_error();
    var rules_1 = require_rules();
    var compile_1 = require_compile();
    var codegen_2 = require_codegen();
    var resolve_1 = require_resolve();
    var dataType_1 = require_dataType();
    var util_1 = require_util();
    var $dataRefSchema = require_data();
    var uri_1 = require_uri();
    var defaultRegExp = (str, flags) => new RegExp(str, flags);
    defaultRegExp.code = "new RegExp";
    var META_IGNORE_OPTIONS = ["removeAdditional", "useDefaults", "coerceTypes"];
    var EXT_SCOPE_NAMES = /* @__PURE__ */ new Set([
      "validate",
      "serialize",
      "parse",
      "wrapper",
      "root",
      "schema",
      "keyword",
      "pattern",
      "formats",
      "validate$data",
      "func",
      "obj",
      "Error"
    ]);
    var removedOptions = {
      errorDataPath: "",
      format: "`validateFormats: false` can be used instead.",
      nullable: '"nullable" keyword is supported by default.',
      jsonPointers: "Deprecated jsPropertySyntax can be used instead.",
      extendRefs: "Deprecated ignoreKeywordsWithRef can be used instead.",
      missingRefs: "Pass empty schema with $id that should be ignored to ajv.addSchema.",
      processCode: "Use option `code: {process: (code, schemaEnv: object) => string}`",
      sourceCode: "Use option `code: {source: true}`",
      strictDefaults: "It is default now, see option `strict`.",
      strictKeywords: "It is default now, see option `strict`.",
      uniqueItems: '"uniqueItems" keyword is always validated.',
      unknownFormats: "Disable strict mode or pass `true` to `ajv.addFormat` (or `formats` option).",
      cache: "Map is used as cache, schema object as key.",
      serialize: "Map is used as cache, schema object as key.",
      ajvErrors: "It is default now."
    };
    var deprecatedOptions = {
      ignoreKeywordsWithRef: "",
      jsPropertySyntax: "",
      unicode: '"minLength"/"maxLength" account for unicode characters by default.'
    };
    var MAX_EXPRESSION = 200;
    function requiredOptions(o) {
      var _a, _b, _c, _d, _e, _f, _g, _h, _j, _k, _l, _m, _o, _p, _q, _r, _s, _t, _u, _v, _w, _x, _y, _z, _0;
      const s = o.strict;
      const _optz = (_a = o.code) === null || _a === void 0 ? void 0 : _a.optimize;
      const optimize = _optz === true || _optz === void 0 ? 1 : _optz || 0;
      const regExp = (_c = (_b = o.code) === null || _b === void 0 ? void 0 : _b.regExp) !== null && _c !== void 0 ? _c : defaultRegExp;
      const uriResolver = (_d = o.uriResolver) !== null && _d !== void 0 ? _d : uri_1.default;
      return {
        strictSchema: (_f = (_e = o.strictSchema) !== null && _e !== void 0 ? _e : s) !== null && _f !== void 0 ? _f : true,
        strictNumbers: (_h = (_g = o.strictNumbers) !== null && _g !== void 0 ? _g : s) !== null && _h !== void 0 ? _h : true,
        strictTypes: (_k = (_j = o.strictTypes) !== null && _j !== void 0 ? _j : s) !== null && _k !== void 0 ? _k : "log",
        strictTuples: (_m = (_l = o.strictTuples) !== null && _l !== void 0 ? _l : s) !== null && _m !== void 0 ? _m : "log",
        strictRequired: (_p = (_o = o.strictRequired) !== null && _o !== void 0 ? _o : s) !== null && _p !== void 0 ? _p : false,
        code: o.code ? { ...o.code, optimize, regExp } : { optimize, regExp },
        loopRequired: (_q = o.loopRequired) !== null && _q !== void 0 ? _q : MAX_EXPRESSION,
        loopEnum: (_r = o.loopEnum) !== null && _r !== void 0 ? _r : MAX_EXPRESSION,
        meta: (_s = o.meta) !== null && _s !== void 0 ? _s : true,
        messages: (_t = o.messages) !== null && _t !== void 0 ? _t : true,
        inlineRefs: (_u = o.inlineRefs) !== null && _u !== void 0 ? _u : true,
        schemaId: (_v = o.schemaId) !== null && _v !== void 0 ? _v : "$id",
        addUsedSchema: (_w = o.addUsedSchema) !== null && _w !== void 0 ? _w : true,
        validateSchema: (_x = o.validateSchema) !== null && _x !== void 0 ? _x : true,
        validateFormats: (_y = o.validateFormats) !== null && _y !== void 0 ? _y : true,
        unicodeRegExp: (_z = o.unicodeRegExp) !== null && _z !== void 0 ? _z : true,
        int32range: (_0 = o.int32range) !== null && _0 !== void 0 ? _0 : true,
        uriResolver
      };
    }
    var Ajv2 = class {
      constructor(opts = {}) {
        this.schemas = {};
        this.refs = {};
        this.formats = /* @__PURE__ */ Object.create(null);
        this._compilations = /* @__PURE__ */ new Set();
        this._loading = {};
        this._cache = /* @__PURE__ */ new Map();
        opts = this.opts = { ...opts, ...requiredOptions(opts) };
        const { es5, lines } = this.opts.code;
        this.scope = new codegen_2.ValueScope({ scope: {}, prefixes: EXT_SCOPE_NAMES, es5, lines });
        this.logger = getLogger(opts.logger);
        const formatOpt = opts.validateFormats;
        opts.validateFormats = false;
        this.RULES = (0, rules_1.getRules)();
        checkOptions.call(this, removedOptions, opts, "NOT SUPPORTED");
        checkOptions.call(this, deprecatedOptions, opts, "DEPRECATED", "warn");
        this._metaOpts = getMetaSchemaOptions.call(this);
        if (opts.formats)
          addInitialFormats.call(this);
        this._addVocabularies();
        this._addDefaultMetaSchema();
        if (opts.keywords)
          addInitialKeywords.call(this, opts.keywords);
        if (typeof opts.meta == "object")
          this.addMetaSchema(opts.meta);
        addInitialSchemas.call(this);
        opts.validateFormats = formatOpt;
      }
      _addVocabularies() {
        this.addKeyword("$async");
      }
      _addDefaultMetaSchema() {
        const { $data, meta, schemaId } = this.opts;
        let _dataRefSchema = $dataRefSchema;
        if (schemaId === "id") {
          _dataRefSchema = { ...$dataRefSchema };
          _dataRefSchema.id = _dataRefSchema.$id;
          delete _dataRefSchema.$id;
        }
        if (meta && $data)
          this.addMetaSchema(_dataRefSchema, _dataRefSchema[schemaId], false);
      }
      defaultMeta() {
        const { meta, schemaId } = this.opts;
        return this.opts.defaultMeta = typeof meta == "object" ? meta[schemaId] || meta : void 0;
      }
      validate(schemaKeyRef, data) {
        let v;
        if (typeof schemaKeyRef == "string") {
          v = this.getSchema(schemaKeyRef);
          if (!v)
            throw new Error(`no schema with key or ref "${schemaKeyRef}"`);
        } else {
          v = this.compile(schemaKeyRef);
        }
        const valid = v(data);
        if (!("$async" in v))
          this.errors = v.errors;
        return valid;
      }
      compile(schema, _meta) {
        const sch = this._addSchema(schema, _meta);
        return sch.validate || this._compileSchemaEnv(sch);
      }
      compileAsync(schema, meta) {
        if (typeof this.opts.loadSchema != "function") {
          throw new Error("options.loadSchema should be a function");
        }
        const { loadSchema } = this.opts;
        return runCompileAsync.call(this, schema, meta);
        async function runCompileAsync(_schema, _meta) {
          await loadMetaSchema.call(this, _schema.$schema);
          const sch = this._addSchema(_schema, _meta);
          return sch.validate || _compileAsync.call(this, sch);
        }
        async function loadMetaSchema($ref) {
          if ($ref && !this.getSchema($ref)) {
            await runCompileAsync.call(this, { $ref }, true);
          }
        }
        async function _compileAsync(sch) {
          try {
            return this._compileSchemaEnv(sch);
          } catch (e) {
            if (!(e instanceof ref_error_1.default))
              throw e;
            checkLoaded.call(this, e);
            await loadMissingSchema.call(this, e.missingSchema);
            return _compileAsync.call(this, sch);
          }
        }
        function checkLoaded({ missingSchema: ref, missingRef }) {
          if (this.refs[ref]) {
            throw new Error(`AnySchema ${ref} is loaded but ${missingRef} cannot be resolved`);
          }
        }
        async function loadMissingSchema(ref) {
          const _schema = await _loadSchema.call(this, ref);
          if (!this.refs[ref])
            await loadMetaSchema.call(this, _schema.$schema);
          if (!this.refs[ref])
            this.addSchema(_schema, ref, meta);
        }
        async function _loadSchema(ref) {
          const p = this._loading[ref];
          if (p)
            return p;
          try {
            return await (this._loading[ref] = loadSchema(ref));
          } finally {
            delete this._loading[ref];
          }
        }
      }
      // Adds schema to the instance
      addSchema(schema, key, _meta, _validateSchema = this.opts.validateSchema) {
        if (Array.isArray(schema)) {
          for (const sch of schema)
            this.addSchema(sch, void 0, _meta, _validateSchema);
          return this;
        }
        let id;
        if (typeof schema === "object") {
          const { schemaId } = this.opts;
          id = schema[schemaId];
          if (id !== void 0 && typeof id != "string") {
            throw new Error(`schema ${schemaId} must be string`);
          }
        }
        key = (0, resolve_1.normalizeId)(key || id);
        this._checkUnique(key);
        this.schemas[key] = this._addSchema(schema, _meta, key, _validateSchema, true);
        return this;
      }
      // Add schema that will be used to validate other schemas
      // options in META_IGNORE_OPTIONS are alway set to false
      addMetaSchema(schema, key, _validateSchema = this.opts.validateSchema) {
        this.addSchema(schema, key, true, _validateSchema);
        return this;
      }
      //  Validate schema against its meta-schema
      validateSchema(schema, throwOrLogError) {
        if (typeof schema == "boolean")
          return true;
        let $schema;
        $schema = schema.$schema;
        if ($schema !== void 0 && typeof $schema != "string") {
          throw new Error("$schema must be a string");
        }
        $schema = $schema || this.opts.defaultMeta || this.defaultMeta();
        if (!$schema) {
          this.logger.warn("meta-schema not available");
          this.errors = null;
          return true;
        }
        const valid = this.validate($schema, schema);
        if (!valid && throwOrLogError) {
          const message = "schema is invalid: " + this.errorsText();
          if (this.opts.validateSchema === "log")
            this.logger.error(message);
          else
            throw new Error(message);
        }
        return valid;
      }
      // Get compiled schema by `key` or `ref`.
      // (`key` that was passed to `addSchema` or full schema reference - `schema.$id` or resolved id)
      getSchema(keyRef) {
        let sch;
        while (typeof (sch = getSchEnv.call(this, keyRef)) == "string")
          keyRef = sch;
        if (sch === void 0) {
          const { schemaId } = this.opts;
          const root = new compile_1.SchemaEnv({ schema: {}, schemaId });
          sch = compile_1.resolveSchema.call(this, root, keyRef);
          if (!sch)
            return;
          this.refs[keyRef] = sch;
        }
        return sch.validate || this._compileSchemaEnv(sch);
      }
      // Remove cached schema(s).
      // If no parameter is passed all schemas but meta-schemas are removed.
      // If RegExp is passed all schemas with key/id matching pattern but meta-schemas are removed.
      // Even if schema is referenced by other schemas it still can be removed as other schemas have local references.
      removeSchema(schemaKeyRef) {
        if (schemaKeyRef instanceof RegExp) {
          this._removeAllSchemas(this.schemas, schemaKeyRef);
          this._removeAllSchemas(this.refs, schemaKeyRef);
          return this;
        }
        switch (typeof schemaKeyRef) {
          case "undefined":
            this._removeAllSchemas(this.schemas);
            this._removeAllSchemas(this.refs);
            this._cache.clear();
            return this;
          case "string": {
            const sch = getSchEnv.call(this, schemaKeyRef);
            if (typeof sch == "object")
              this._cache.delete(sch.schema);
            delete this.schemas[schemaKeyRef];
            delete this.refs[schemaKeyRef];
            return this;
          }
          case "object": {
            const cacheKey = schemaKeyRef;
            this._cache.delete(cacheKey);
            let id = schemaKeyRef[this.opts.schemaId];
            if (id) {
              id = (0, resolve_1.normalizeId)(id);
              delete this.schemas[id];
              delete this.refs[id];
            }
            return this;
          }
          default:
            throw new Error("ajv.removeSchema: invalid parameter");
        }
      }
      // add "vocabulary" - a collection of keywords
      addVocabulary(definitions) {
        for (const def of definitions)
          this.addKeyword(def);
        return this;
      }
      addKeyword(kwdOrDef, def) {
        let keyword;
        if (typeof kwdOrDef == "string") {
          keyword = kwdOrDef;
          if (typeof def == "object") {
            this.logger.warn("these parameters are deprecated, see docs for addKeyword");
            def.keyword = keyword;
          }
        } else if (typeof kwdOrDef == "object" && def === void 0) {
          def = kwdOrDef;
          keyword = def.keyword;
          if (Array.isArray(keyword) && !keyword.length) {
            throw new Error("addKeywords: keyword must be string or non-empty array");
          }
        } else {
          throw new Error("invalid addKeywords parameters");
        }
        checkKeyword.call(this, keyword, def);
        if (!def) {
          (0, util_1.eachItem)(keyword, (kwd) => addRule.call(this, kwd));
          return this;
        }
        keywordMetaschema.call(this, def);
        const definition = {
          ...def,
          type: (0, dataType_1.getJSONTypes)(def.type),
          schemaType: (0, dataType_1.getJSONTypes)(def.schemaType)
        };
        (0, util_1.eachItem)(keyword, definition.type.length === 0 ? (k) => addRule.call(this, k, definition) : (k) => definition.type.forEach((t) => addRule.call(this, k, definition, t)));
        return this;
      }
      getKeyword(keyword) {
        const rule = this.RULES.all[keyword];
        return typeof rule == "object" ? rule.definition : !!rule;
      }
      // Remove keyword
      removeKeyword(keyword) {
        const { RULES: RULES2 } = this;
        delete RULES2.keywords[keyword];
        delete RULES2.all[keyword];
        for (const group of RULES2.rules) {
          const i = group.rules.findIndex((rule) => rule.keyword === keyword);
          if (i >= 0)
            group.rules.splice(i, 1);
        }
        return this;
      }
      // Add format
      addFormat(name, format) {
        if (typeof format == "string")
          format = new RegExp(format);
        this.formats[name] = format;
        return this;
      }
      errorsText(errors = this.errors, { separator = ", ", dataVar = "data" } = {}) {
        if (!errors || errors.length === 0)
          return "No errors";
        return errors.map((e) => `${dataVar}${e.instancePath} ${e.message}`).reduce((text, msg) => text + separator + msg);
      }
      $dataMetaSchema(metaSchema, keywordsJsonPointers) {
        const rules = this.RULES.all;
        metaSchema = JSON.parse(JSON.stringify(metaSchema));
        for (const jsonPointer of keywordsJsonPointers) {
          const segments = jsonPointer.split("/").slice(1);
          let keywords = metaSchema;
          for (const seg of segments)
            keywords = keywords[seg];
          for (const key in rules) {
            const rule = rules[key];
            if (typeof rule != "object")
              continue;
            const { $data } = rule.definition;
            const schema = keywords[key];
            if ($data && schema)
              keywords[key] = schemaOrData(schema);
          }
        }
        return metaSchema;
      }
      _removeAllSchemas(schemas, regex) {
        for (const keyRef in schemas) {
          const sch = schemas[keyRef];
          if (!regex || regex.test(keyRef)) {
            if (typeof sch == "string") {
              delete schemas[keyRef];
            } else if (sch && !sch.meta) {
              this._cache.delete(sch.schema);
              delete schemas[keyRef];
            }
          }
        }
      }
      _addSchema(schema, meta, baseId, validateSchema = this.opts.validateSchema, addSchema = this.opts.addUsedSchema) {
        let id;
        const { schemaId } = this.opts;
        if (typeof schema == "object") {
          id = schema[schemaId];
        } else {
          if (this.opts.jtd)
            throw new Error("schema must be object");
          else if (typeof schema != "boolean")
            throw new Error("schema must be object or boolean");
        }
        let sch = this._cache.get(schema);
        if (sch !== void 0)
          return sch;
        baseId = (0, resolve_1.normalizeId)(id || baseId);
        const localRefs = resolve_1.getSchemaRefs.call(this, schema, baseId);
        sch = new compile_1.SchemaEnv({ schema, schemaId, meta, baseId, localRefs });
        this._cache.set(sch.schema, sch);
        if (addSchema && !baseId.startsWith("#")) {
          if (baseId)
            this._checkUnique(baseId);
          this.refs[baseId] = sch;
        }
        if (validateSchema)
          this.validateSchema(schema, true);
        return sch;
      }
      _checkUnique(id) {
        if (this.schemas[id] || this.refs[id]) {
          throw new Error(`schema with key or id "${id}" already exists`);
        }
      }
      _compileSchemaEnv(sch) {
        if (sch.meta)
          this._compileMetaSchema(sch);
        else
          compile_1.compileSchema.call(this, sch);
        if (!sch.validate)
          throw new Error("ajv implementation error");
        return sch.validate;
      }
      _compileMetaSchema(sch) {
        const currentOpts = this.opts;
        this.opts = this._metaOpts;
        try {
          compile_1.compileSchema.call(this, sch);
        } finally {
          this.opts = currentOpts;
        }
      }
    };
    Ajv2.ValidationError = validation_error_1.default;
    Ajv2.MissingRefError = ref_error_1.default;
    exports.default = Ajv2;
    function checkOptions(checkOpts, options, msg, log = "error") {
      for (const key in checkOpts) {
        const opt = key;
        if (opt in options)
          this.logger[log](`${msg}: option ${key}. ${checkOpts[opt]}`);
      }
    }
    function getSchEnv(keyRef) {
      keyRef = (0, resolve_1.normalizeId)(keyRef);
      return this.schemas[keyRef] || this.refs[keyRef];
    }
    function addInitialSchemas() {
      const optsSchemas = this.opts.schemas;
      if (!optsSchemas)
        return;
      if (Array.isArray(optsSchemas))
        this.addSchema(optsSchemas);
      else
        for (const key in optsSchemas)
          this.addSchema(optsSchemas[key], key);
    }
    function addInitialFormats() {
      for (const name in this.opts.formats) {
        const format = this.opts.formats[name];
        if (format)
          this.addFormat(name, format);
      }
    }
    function addInitialKeywords(defs) {
      if (Array.isArray(defs)) {
        this.addVocabulary(defs);
        return;
      }
      this.logger.warn("keywords option as map is deprecated, pass array");
      for (const keyword in defs) {
        const def = defs[keyword];
        if (!def.keyword)
          def.keyword = keyword;
        this.addKeyword(def);
      }
    }
    function getMetaSchemaOptions() {
      const metaOpts = { ...this.opts };
      for (const opt of META_IGNORE_OPTIONS)
        delete metaOpts[opt];
      return metaOpts;
    }
    var noLogs = { log() {
    }, warn() {
    }, error() {
    } };
    function getLogger(logger) {
      if (logger === false)
        return noLogs;
      if (logger === void 0)
        return console;
      if (logger.log && logger.warn && logger.error)
        return logger;
      throw new Error("logger must implement log, warn and error methods");
    }
    var KEYWORD_NAME = /^[a-z_$][a-z0-9_$:-]*$/i;
    function checkKeyword(keyword, def) {
      const { RULES: RULES2 } = this;
      (0, util_1.eachItem)(keyword, (kwd) => {
        if (RULES2.keywords[kwd])
          throw new Error(`Keyword ${kwd} is already defined`);
        if (!KEYWORD_NAME.test(kwd))
          throw new Error(`Keyword ${kwd} has invalid name`);
      });
      if (!def)
        return;
      if (def.$data && !("code" in def || "validate" in def)) {
        throw new Error('$data keyword must have "code" or "validate" function');
      }
    }
    function addRule(keyword, definition, dataType) {
      var _a;
      const post = definition === null || definition === void 0 ? void 0 : definition.post;
      if (dataType && post)
        throw new Error('keyword with "post" flag cannot have "type"');
      const { RULES: RULES2 } = this;
      let ruleGroup = post ? RULES2.post : RULES2.rules.find(({ type: t }) => t === dataType);
      if (!ruleGroup) {
        ruleGroup = { type: dataType, rules: [] };
        RULES2.rules.push(ruleGroup);
      }
      RULES2.keywords[keyword] = true;
      if (!definition)
        return;
      const rule = {
        keyword,
        definition: {
          ...definition,
          type: (0, dataType_1.getJSONTypes)(definition.type),
          schemaType: (0, dataType_1.getJSONTypes)(definition.schemaType)
        }
      };
      if (definition.before)
        addBeforeRule.call(this, ruleGroup, rule, definition.before);
      else
        ruleGroup.rules.push(rule);
      RULES2.all[keyword] = rule;
      (_a = definition.implements) === null || _a === void 0 ? void 0 : _a.forEach((kwd) => this.addKeyword(kwd));
    }
    function addBeforeRule(ruleGroup, rule, before) {
      const i = ruleGroup.rules.findIndex((_rule) => _rule.keyword === before);
      if (i >= 0) {
        ruleGroup.rules.splice(i, 0, rule);
      } else {
        ruleGroup.rules.push(rule);
        this.logger.warn(`rule ${before} is not defined`);
      }
    }
    function keywordMetaschema(def) {
      let { metaSchema } = def;
      if (metaSchema === void 0)
        return;
      if (def.$data && this.opts.$data)
        metaSchema = schemaOrData(metaSchema);
      def.validateSchema = this.compile(metaSchema, true);
    }
    var $dataRef = {
      $ref: "https://raw.githubusercontent.com/ajv-validator/ajv/master/lib/refs/data.json#"
    };
    function schemaOrData(schema) {
      return { anyOf: [schema, $dataRef] };
    }
  }
});

// node_modules/ajv/dist/vocabularies/core/id.js
var require_id = __commonJS({
  "node_modules/ajv/dist/vocabularies/core/id.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var def = {
      keyword: "id",
      code() {
        throw new Error('NOT SUPPORTED: keyword "id", use "$id" for schema ID');
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/core/ref.js
var require_ref = __commonJS({
  "node_modules/ajv/dist/vocabularies/core/ref.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.callRef = exports.getValidate = void 0;
    var ref_error_1 = require_ref_error();
    var code_1 = require_code2();
    var codegen_1 = require_codegen();
    var names_1 = require_names();
    var compile_1 = require_compile();
    var util_1 = require_util();
    var def = {
      keyword: "$ref",
      schemaType: "string",
      code(cxt) {
        const { gen, schema: $ref, it } = cxt;
        const { baseId, schemaEnv: env, validateName, opts, self } = it;
        const { root } = env;
        if (($ref === "#" || $ref === "#/") && baseId === root.baseId)
          return callRootRef();
        const schOrEnv = compile_1.resolveRef.call(self, root, baseId, $ref);
        if (schOrEnv === void 0)
          throw new ref_error_1.default(it.opts.uriResolver, baseId, $ref);
        if (schOrEnv instanceof compile_1.SchemaEnv)
          return callValidate(schOrEnv);
        return inlineRefSchema(schOrEnv);
        function callRootRef() {
          if (env === root)
            return callRef(cxt, validateName, env, env.$async);
          const rootName = gen.scopeValue("root", { ref: root });
          return callRef(cxt, (0, codegen_1._)`${rootName}.validate`, root, root.$async);
        }
        function callValidate(sch) {
          const v = getValidate(cxt, sch);
          callRef(cxt, v, sch, sch.$async);
        }
        function inlineRefSchema(sch) {
          const schName = gen.scopeValue("schema", opts.code.source === true ? { ref: sch, code: (0, codegen_1.stringify)(sch) } : { ref: sch });
          const valid = gen.name("valid");
          const schCxt = cxt.subschema({
            schema: sch,
            dataTypes: [],
            schemaPath: codegen_1.nil,
            topSchemaRef: schName,
            errSchemaPath: $ref
          }, valid);
          cxt.mergeEvaluated(schCxt);
          cxt.ok(valid);
        }
      }
    };
    function getValidate(cxt, sch) {
      const { gen } = cxt;
      return sch.validate ? gen.scopeValue("validate", { ref: sch.validate }) : (0, codegen_1._)`${gen.scopeValue("wrapper", { ref: sch })}.validate`;
    }
    exports.getValidate = getValidate;
    function callRef(cxt, v, sch, $async) {
      const { gen, it } = cxt;
      const { allErrors, schemaEnv: env, opts } = it;
      const passCxt = opts.passContext ? names_1.default.this : codegen_1.nil;
      if ($async)
        callAsyncRef();
      else
        callSyncRef();
      function callAsyncRef() {
        if (!env.$async)
          throw new Error("async schema referenced by sync schema");
        const valid = gen.let("valid");
        gen.try(() => {
          gen.code((0, codegen_1._)`await ${(0, code_1.callValidateCode)(cxt, v, passCxt)}`);
          addEvaluatedFrom(v);
          if (!allErrors)
            gen.assign(valid, true);
        }, (e) => {
          gen.if((0, codegen_1._)`!(${e} instanceof ${it.ValidationError})`, () => gen.throw(e));
          addErrorsFrom(e);
          if (!allErrors)
            gen.assign(valid, false);
        });
        cxt.ok(valid);
      }
      function callSyncRef() {
        cxt.result((0, code_1.callValidateCode)(cxt, v, passCxt), () => addEvaluatedFrom(v), () => addErrorsFrom(v));
      }
      function addErrorsFrom(source) {
        const errs = (0, codegen_1._)`${source}.errors`;
        gen.assign(names_1.default.vErrors, (0, codegen_1._)`${names_1.default.vErrors} === null ? ${errs} : ${names_1.default.vErrors}.concat(${errs})`);
        gen.assign(names_1.default.errors, (0, codegen_1._)`${names_1.default.vErrors}.length`);
      }
      function addEvaluatedFrom(source) {
        var _a;
        if (!it.opts.unevaluated)
          return;
        const schEvaluated = (_a = sch === null || sch === void 0 ? void 0 : sch.validate) === null || _a === void 0 ? void 0 : _a.evaluated;
        if (it.props !== true) {
          if (schEvaluated && !schEvaluated.dynamicProps) {
            if (schEvaluated.props !== void 0) {
              it.props = util_1.mergeEvaluated.props(gen, schEvaluated.props, it.props);
            }
          } else {
            const props = gen.var("props", (0, codegen_1._)`${source}.evaluated.props`);
            it.props = util_1.mergeEvaluated.props(gen, props, it.props, codegen_1.Name);
          }
        }
        if (it.items !== true) {
          if (schEvaluated && !schEvaluated.dynamicItems) {
            if (schEvaluated.items !== void 0) {
              it.items = util_1.mergeEvaluated.items(gen, schEvaluated.items, it.items);
            }
          } else {
            const items = gen.var("items", (0, codegen_1._)`${source}.evaluated.items`);
            it.items = util_1.mergeEvaluated.items(gen, items, it.items, codegen_1.Name);
          }
        }
      }
    }
    exports.callRef = callRef;
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/core/index.js
var require_core2 = __commonJS({
  "node_modules/ajv/dist/vocabularies/core/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var id_1 = require_id();
    var ref_1 = require_ref();
    var core = [
      "$schema",
      "$id",
      "$defs",
      "$vocabulary",
      { keyword: "$comment" },
      "definitions",
      id_1.default,
      ref_1.default
    ];
    exports.default = core;
  }
});

// node_modules/ajv/dist/vocabularies/validation/limitNumber.js
var require_limitNumber = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/limitNumber.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var ops = codegen_1.operators;
    var KWDs = {
      maximum: { okStr: "<=", ok: ops.LTE, fail: ops.GT },
      minimum: { okStr: ">=", ok: ops.GTE, fail: ops.LT },
      exclusiveMaximum: { okStr: "<", ok: ops.LT, fail: ops.GTE },
      exclusiveMinimum: { okStr: ">", ok: ops.GT, fail: ops.LTE }
    };
    var error = {
      message: ({ keyword, schemaCode }) => (0, codegen_1.str)`must be ${KWDs[keyword].okStr} ${schemaCode}`,
      params: ({ keyword, schemaCode }) => (0, codegen_1._)`{comparison: ${KWDs[keyword].okStr}, limit: ${schemaCode}}`
    };
    var def = {
      keyword: Object.keys(KWDs),
      type: "number",
      schemaType: "number",
      $data: true,
      error,
      code(cxt) {
        const { keyword, data, schemaCode } = cxt;
        cxt.fail$data((0, codegen_1._)`${data} ${KWDs[keyword].fail} ${schemaCode} || isNaN(${data})`);
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/validation/multipleOf.js
var require_multipleOf = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/multipleOf.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var error = {
      message: ({ schemaCode }) => (0, codegen_1.str)`must be multiple of ${schemaCode}`,
      params: ({ schemaCode }) => (0, codegen_1._)`{multipleOf: ${schemaCode}}`
    };
    var def = {
      keyword: "multipleOf",
      type: "number",
      schemaType: "number",
      $data: true,
      error,
      code(cxt) {
        const { gen, data, schemaCode, it } = cxt;
        const prec = it.opts.multipleOfPrecision;
        const res = gen.let("res");
        const invalid = prec ? (0, codegen_1._)`Math.abs(Math.round(${res}) - ${res}) > 1e-${prec}` : (0, codegen_1._)`${res} !== parseInt(${res})`;
        cxt.fail$data((0, codegen_1._)`(${schemaCode} === 0 || (${res} = ${data}/${schemaCode}, ${invalid}))`);
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/runtime/ucs2length.js
var require_ucs2length = __commonJS({
  "node_modules/ajv/dist/runtime/ucs2length.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    function ucs2length(str) {
      const len = str.length;
      let length2 = 0;
      let pos = 0;
      let value;
      while (pos < len) {
        length2++;
        value = str.charCodeAt(pos++);
        if (value >= 55296 && value <= 56319 && pos < len) {
          value = str.charCodeAt(pos);
          if ((value & 64512) === 56320)
            pos++;
        }
      }
      return length2;
    }
    exports.default = ucs2length;
    ucs2length.code = 'require("ajv/dist/runtime/ucs2length").default';
  }
});

// node_modules/ajv/dist/vocabularies/validation/limitLength.js
var require_limitLength = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/limitLength.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var ucs2length_1 = require_ucs2length();
    var error = {
      message({ keyword, schemaCode }) {
        const comp = keyword === "maxLength" ? "more" : "fewer";
        return (0, codegen_1.str)`must NOT have ${comp} than ${schemaCode} characters`;
      },
      params: ({ schemaCode }) => (0, codegen_1._)`{limit: ${schemaCode}}`
    };
    var def = {
      keyword: ["maxLength", "minLength"],
      type: "string",
      schemaType: "number",
      $data: true,
      error,
      code(cxt) {
        const { keyword, data, schemaCode, it } = cxt;
        const op = keyword === "maxLength" ? codegen_1.operators.GT : codegen_1.operators.LT;
        const len = it.opts.unicode === false ? (0, codegen_1._)`${data}.length` : (0, codegen_1._)`${(0, util_1.useFunc)(cxt.gen, ucs2length_1.default)}(${data})`;
        cxt.fail$data((0, codegen_1._)`${len} ${op} ${schemaCode}`);
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/validation/pattern.js
var require_pattern = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/pattern.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var code_1 = require_code2();
    var util_1 = require_util();
    var codegen_1 = require_codegen();
    var error = {
      message: ({ schemaCode }) => (0, codegen_1.str)`must match pattern "${schemaCode}"`,
      params: ({ schemaCode }) => (0, codegen_1._)`{pattern: ${schemaCode}}`
    };
    var def = {
      keyword: "pattern",
      type: "string",
      schemaType: "string",
      $data: true,
      error,
      code(cxt) {
        const { gen, data, $data, schema, schemaCode, it } = cxt;
        const u = it.opts.unicodeRegExp ? "u" : "";
        if ($data) {
          const { regExp } = it.opts.code;
          const regExpCode = regExp.code === "new RegExp" ? (0, codegen_1._)`new RegExp` : (0, util_1.useFunc)(gen, regExp);
          const valid = gen.let("valid");
          gen.try(() => gen.assign(valid, (0, codegen_1._)`${regExpCode}(${schemaCode}, ${u}).test(${data})`), () => gen.assign(valid, false));
          cxt.fail$data((0, codegen_1._)`!${valid}`);
        } else {
          const regExp = (0, code_1.usePattern)(cxt, schema);
          cxt.fail$data((0, codegen_1._)`!${regExp}.test(${data})`);
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/validation/limitProperties.js
var require_limitProperties = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/limitProperties.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var error = {
      message({ keyword, schemaCode }) {
        const comp = keyword === "maxProperties" ? "more" : "fewer";
        return (0, codegen_1.str)`must NOT have ${comp} than ${schemaCode} properties`;
      },
      params: ({ schemaCode }) => (0, codegen_1._)`{limit: ${schemaCode}}`
    };
    var def = {
      keyword: ["maxProperties", "minProperties"],
      type: "object",
      schemaType: "number",
      $data: true,
      error,
      code(cxt) {
        const { keyword, data, schemaCode } = cxt;
        const op = keyword === "maxProperties" ? codegen_1.operators.GT : codegen_1.operators.LT;
        cxt.fail$data((0, codegen_1._)`Object.keys(${data}).length ${op} ${schemaCode}`);
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/validation/required.js
var require_required = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/required.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var code_1 = require_code2();
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var error = {
      message: ({ params: { missingProperty } }) => (0, codegen_1.str)`must have required property '${missingProperty}'`,
      params: ({ params: { missingProperty } }) => (0, codegen_1._)`{missingProperty: ${missingProperty}}`
    };
    var def = {
      keyword: "required",
      type: "object",
      schemaType: "array",
      $data: true,
      error,
      code(cxt) {
        const { gen, schema, schemaCode, data, $data, it } = cxt;
        const { opts } = it;
        if (!$data && schema.length === 0)
          return;
        const useLoop = schema.length >= opts.loopRequired;
        if (it.allErrors)
          allErrorsMode();
        else
          exitOnErrorMode();
        if (opts.strictRequired) {
          const props = cxt.parentSchema.properties;
          const { definedProperties } = cxt.it;
          for (const requiredKey of schema) {
            if ((props === null || props === void 0 ? void 0 : props[requiredKey]) === void 0 && !definedProperties.has(requiredKey)) {
              const schemaPath = it.schemaEnv.baseId + it.errSchemaPath;
              const msg = `required property "${requiredKey}" is not defined at "${schemaPath}" (strictRequired)`;
              (0, util_1.checkStrictMode)(it, msg, it.opts.strictRequired);
            }
          }
        }
        function allErrorsMode() {
          if (useLoop || $data) {
            cxt.block$data(codegen_1.nil, loopAllRequired);
          } else {
            for (const prop of schema) {
              (0, code_1.checkReportMissingProp)(cxt, prop);
            }
          }
        }
        function exitOnErrorMode() {
          const missing = gen.let("missing");
          if (useLoop || $data) {
            const valid = gen.let("valid", true);
            cxt.block$data(valid, () => loopUntilMissing(missing, valid));
            cxt.ok(valid);
          } else {
            gen.if((0, code_1.checkMissingProp)(cxt, schema, missing));
            (0, code_1.reportMissingProp)(cxt, missing);
            gen.else();
          }
        }
        function loopAllRequired() {
          gen.forOf("prop", schemaCode, (prop) => {
            cxt.setParams({ missingProperty: prop });
            gen.if((0, code_1.noPropertyInData)(gen, data, prop, opts.ownProperties), () => cxt.error());
          });
        }
        function loopUntilMissing(missing, valid) {
          cxt.setParams({ missingProperty: missing });
          gen.forOf(missing, schemaCode, () => {
            gen.assign(valid, (0, code_1.propertyInData)(gen, data, missing, opts.ownProperties));
            gen.if((0, codegen_1.not)(valid), () => {
              cxt.error();
              gen.break();
            });
          }, codegen_1.nil);
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/validation/limitItems.js
var require_limitItems = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/limitItems.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var error = {
      message({ keyword, schemaCode }) {
        const comp = keyword === "maxItems" ? "more" : "fewer";
        return (0, codegen_1.str)`must NOT have ${comp} than ${schemaCode} items`;
      },
      params: ({ schemaCode }) => (0, codegen_1._)`{limit: ${schemaCode}}`
    };
    var def = {
      keyword: ["maxItems", "minItems"],
      type: "array",
      schemaType: "number",
      $data: true,
      error,
      code(cxt) {
        const { keyword, data, schemaCode } = cxt;
        const op = keyword === "maxItems" ? codegen_1.operators.GT : codegen_1.operators.LT;
        cxt.fail$data((0, codegen_1._)`${data}.length ${op} ${schemaCode}`);
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/runtime/equal.js
var require_equal = __commonJS({
  "node_modules/ajv/dist/runtime/equal.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var equal = require_fast_deep_equal();
    equal.code = 'require("ajv/dist/runtime/equal").default';
    exports.default = equal;
  }
});

// node_modules/ajv/dist/vocabularies/validation/uniqueItems.js
var require_uniqueItems = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/uniqueItems.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var dataType_1 = require_dataType();
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var equal_1 = require_equal();
    var error = {
      message: ({ params: { i, j } }) => (0, codegen_1.str)`must NOT have duplicate items (items ## ${j} and ${i} are identical)`,
      params: ({ params: { i, j } }) => (0, codegen_1._)`{i: ${i}, j: ${j}}`
    };
    var def = {
      keyword: "uniqueItems",
      type: "array",
      schemaType: "boolean",
      $data: true,
      error,
      code(cxt) {
        const { gen, data, $data, schema, parentSchema, schemaCode, it } = cxt;
        if (!$data && !schema)
          return;
        const valid = gen.let("valid");
        const itemTypes = parentSchema.items ? (0, dataType_1.getSchemaTypes)(parentSchema.items) : [];
        cxt.block$data(valid, validateUniqueItems, (0, codegen_1._)`${schemaCode} === false`);
        cxt.ok(valid);
        function validateUniqueItems() {
          const i = gen.let("i", (0, codegen_1._)`${data}.length`);
          const j = gen.let("j");
          cxt.setParams({ i, j });
          gen.assign(valid, true);
          gen.if((0, codegen_1._)`${i} > 1`, () => (canOptimize() ? loopN : loopN2)(i, j));
        }
        function canOptimize() {
          return itemTypes.length > 0 && !itemTypes.some((t) => t === "object" || t === "array");
        }
        function loopN(i, j) {
          const item = gen.name("item");
          const wrongType2 = (0, dataType_1.checkDataTypes)(itemTypes, item, it.opts.strictNumbers, dataType_1.DataType.Wrong);
          const indices = gen.const("indices", (0, codegen_1._)`{}`);
          gen.for((0, codegen_1._)`;${i}--;`, () => {
            gen.let(item, (0, codegen_1._)`${data}[${i}]`);
            gen.if(wrongType2, (0, codegen_1._)`continue`);
            if (itemTypes.length > 1)
              gen.if((0, codegen_1._)`typeof ${item} == "string"`, (0, codegen_1._)`${item} += "_"`);
            gen.if((0, codegen_1._)`typeof ${indices}[${item}] == "number"`, () => {
              gen.assign(j, (0, codegen_1._)`${indices}[${item}]`);
              cxt.error();
              gen.assign(valid, false).break();
            }).code((0, codegen_1._)`${indices}[${item}] = ${i}`);
          });
        }
        function loopN2(i, j) {
          const eql = (0, util_1.useFunc)(gen, equal_1.default);
          const outer = gen.name("outer");
          gen.label(outer).for((0, codegen_1._)`;${i}--;`, () => gen.for((0, codegen_1._)`${j} = ${i}; ${j}--;`, () => gen.if((0, codegen_1._)`${eql}(${data}[${i}], ${data}[${j}])`, () => {
            cxt.error();
            gen.assign(valid, false).break(outer);
          })));
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/validation/const.js
var require_const = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/const.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var equal_1 = require_equal();
    var error = {
      message: "must be equal to constant",
      params: ({ schemaCode }) => (0, codegen_1._)`{allowedValue: ${schemaCode}}`
    };
    var def = {
      keyword: "const",
      $data: true,
      error,
      code(cxt) {
        const { gen, data, $data, schemaCode, schema } = cxt;
        if ($data || schema && typeof schema == "object") {
          cxt.fail$data((0, codegen_1._)`!${(0, util_1.useFunc)(gen, equal_1.default)}(${data}, ${schemaCode})`);
        } else {
          cxt.fail((0, codegen_1._)`${schema} !== ${data}`);
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/validation/enum.js
var require_enum = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/enum.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var equal_1 = require_equal();
    var error = {
      message: "must be equal to one of the allowed values",
      params: ({ schemaCode }) => (0, codegen_1._)`{allowedValues: ${schemaCode}}`
    };
    var def = {
      keyword: "enum",
      schemaType: "array",
      $data: true,
      error,
      code(cxt) {
        const { gen, data, $data, schema, schemaCode, it } = cxt;
        if (!$data && schema.length === 0)
          throw new Error("enum must have non-empty array");
        const useLoop = schema.length >= it.opts.loopEnum;
        let eql;
        const getEql = () => eql !== null && eql !== void 0 ? eql : eql = (0, util_1.useFunc)(gen, equal_1.default);
        let valid;
        if (useLoop || $data) {
          valid = gen.let("valid");
          cxt.block$data(valid, loopEnum);
        } else {
          if (!Array.isArray(schema))
            throw new Error("ajv implementation error");
          const vSchema = gen.const("vSchema", schemaCode);
          valid = (0, codegen_1.or)(...schema.map((_x, i) => equalCode(vSchema, i)));
        }
        cxt.pass(valid);
        function loopEnum() {
          gen.assign(valid, false);
          gen.forOf("v", schemaCode, (v) => gen.if((0, codegen_1._)`${getEql()}(${data}, ${v})`, () => gen.assign(valid, true).break()));
        }
        function equalCode(vSchema, i) {
          const sch = schema[i];
          return typeof sch === "object" && sch !== null ? (0, codegen_1._)`${getEql()}(${data}, ${vSchema}[${i}])` : (0, codegen_1._)`${data} === ${sch}`;
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/validation/index.js
var require_validation = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var limitNumber_1 = require_limitNumber();
    var multipleOf_1 = require_multipleOf();
    var limitLength_1 = require_limitLength();
    var pattern_1 = require_pattern();
    var limitProperties_1 = require_limitProperties();
    var required_1 = require_required();
    var limitItems_1 = require_limitItems();
    var uniqueItems_1 = require_uniqueItems();
    var const_1 = require_const();
    var enum_1 = require_enum();
    var validation = [
      // number
      limitNumber_1.default,
      multipleOf_1.default,
      // string
      limitLength_1.default,
      pattern_1.default,
      // object
      limitProperties_1.default,
      required_1.default,
      // array
      limitItems_1.default,
      uniqueItems_1.default,
      // any
      { keyword: "type", schemaType: ["string", "array"] },
      { keyword: "nullable", schemaType: "boolean" },
      const_1.default,
      enum_1.default
    ];
    exports.default = validation;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/additionalItems.js
var require_additionalItems = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/additionalItems.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.validateAdditionalItems = void 0;
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var error = {
      message: ({ params: { len } }) => (0, codegen_1.str)`must NOT have more than ${len} items`,
      params: ({ params: { len } }) => (0, codegen_1._)`{limit: ${len}}`
    };
    var def = {
      keyword: "additionalItems",
      type: "array",
      schemaType: ["boolean", "object"],
      before: "uniqueItems",
      error,
      code(cxt) {
        const { parentSchema, it } = cxt;
        const { items } = parentSchema;
        if (!Array.isArray(items)) {
          (0, util_1.checkStrictMode)(it, '"additionalItems" is ignored when "items" is not an array of schemas');
          return;
        }
        validateAdditionalItems(cxt, items);
      }
    };
    function validateAdditionalItems(cxt, items) {
      const { gen, schema, data, keyword, it } = cxt;
      it.items = true;
      const len = gen.const("len", (0, codegen_1._)`${data}.length`);
      if (schema === false) {
        cxt.setParams({ len: items.length });
        cxt.pass((0, codegen_1._)`${len} <= ${items.length}`);
      } else if (typeof schema == "object" && !(0, util_1.alwaysValidSchema)(it, schema)) {
        const valid = gen.var("valid", (0, codegen_1._)`${len} <= ${items.length}`);
        gen.if((0, codegen_1.not)(valid), () => validateItems(valid));
        cxt.ok(valid);
      }
      function validateItems(valid) {
        gen.forRange("i", items.length, len, (i) => {
          cxt.subschema({ keyword, dataProp: i, dataPropType: util_1.Type.Num }, valid);
          if (!it.allErrors)
            gen.if((0, codegen_1.not)(valid), () => gen.break());
        });
      }
    }
    exports.validateAdditionalItems = validateAdditionalItems;
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/items.js
var require_items = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/items.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.validateTuple = void 0;
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var code_1 = require_code2();
    var def = {
      keyword: "items",
      type: "array",
      schemaType: ["object", "array", "boolean"],
      before: "uniqueItems",
      code(cxt) {
        const { schema, it } = cxt;
        if (Array.isArray(schema))
          return validateTuple(cxt, "additionalItems", schema);
        it.items = true;
        if ((0, util_1.alwaysValidSchema)(it, schema))
          return;
        cxt.ok((0, code_1.validateArray)(cxt));
      }
    };
    function validateTuple(cxt, extraItems, schArr = cxt.schema) {
      const { gen, parentSchema, data, keyword, it } = cxt;
      checkStrictTuple(parentSchema);
      if (it.opts.unevaluated && schArr.length && it.items !== true) {
        it.items = util_1.mergeEvaluated.items(gen, schArr.length, it.items);
      }
      const valid = gen.name("valid");
      const len = gen.const("len", (0, codegen_1._)`${data}.length`);
      schArr.forEach((sch, i) => {
        if ((0, util_1.alwaysValidSchema)(it, sch))
          return;
        gen.if((0, codegen_1._)`${len} > ${i}`, () => cxt.subschema({
          keyword,
          schemaProp: i,
          dataProp: i
        }, valid));
        cxt.ok(valid);
      });
      function checkStrictTuple(sch) {
        const { opts, errSchemaPath } = it;
        const l = schArr.length;
        const fullTuple = l === sch.minItems && (l === sch.maxItems || sch[extraItems] === false);
        if (opts.strictTuples && !fullTuple) {
          const msg = `"${keyword}" is ${l}-tuple, but minItems or maxItems/${extraItems} are not specified or different at path "${errSchemaPath}"`;
          (0, util_1.checkStrictMode)(it, msg, opts.strictTuples);
        }
      }
    }
    exports.validateTuple = validateTuple;
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/prefixItems.js
var require_prefixItems = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/prefixItems.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var items_1 = require_items();
    var def = {
      keyword: "prefixItems",
      type: "array",
      schemaType: ["array"],
      before: "uniqueItems",
      code: (cxt) => (0, items_1.validateTuple)(cxt, "items")
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/items2020.js
var require_items2020 = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/items2020.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var code_1 = require_code2();
    var additionalItems_1 = require_additionalItems();
    var error = {
      message: ({ params: { len } }) => (0, codegen_1.str)`must NOT have more than ${len} items`,
      params: ({ params: { len } }) => (0, codegen_1._)`{limit: ${len}}`
    };
    var def = {
      keyword: "items",
      type: "array",
      schemaType: ["object", "boolean"],
      before: "uniqueItems",
      error,
      code(cxt) {
        const { schema, parentSchema, it } = cxt;
        const { prefixItems } = parentSchema;
        it.items = true;
        if ((0, util_1.alwaysValidSchema)(it, schema))
          return;
        if (prefixItems)
          (0, additionalItems_1.validateAdditionalItems)(cxt, prefixItems);
        else
          cxt.ok((0, code_1.validateArray)(cxt));
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/contains.js
var require_contains = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/contains.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var error = {
      message: ({ params: { min, max } }) => max === void 0 ? (0, codegen_1.str)`must contain at least ${min} valid item(s)` : (0, codegen_1.str)`must contain at least ${min} and no more than ${max} valid item(s)`,
      params: ({ params: { min, max } }) => max === void 0 ? (0, codegen_1._)`{minContains: ${min}}` : (0, codegen_1._)`{minContains: ${min}, maxContains: ${max}}`
    };
    var def = {
      keyword: "contains",
      type: "array",
      schemaType: ["object", "boolean"],
      before: "uniqueItems",
      trackErrors: true,
      error,
      code(cxt) {
        const { gen, schema, parentSchema, data, it } = cxt;
        let min;
        let max;
        const { minContains, maxContains } = parentSchema;
        if (it.opts.next) {
          min = minContains === void 0 ? 1 : minContains;
          max = maxContains;
        } else {
          min = 1;
        }
        const len = gen.const("len", (0, codegen_1._)`${data}.length`);
        cxt.setParams({ min, max });
        if (max === void 0 && min === 0) {
          (0, util_1.checkStrictMode)(it, `"minContains" == 0 without "maxContains": "contains" keyword ignored`);
          return;
        }
        if (max !== void 0 && min > max) {
          (0, util_1.checkStrictMode)(it, `"minContains" > "maxContains" is always invalid`);
          cxt.fail();
          return;
        }
        if ((0, util_1.alwaysValidSchema)(it, schema)) {
          let cond = (0, codegen_1._)`${len} >= ${min}`;
          if (max !== void 0)
            cond = (0, codegen_1._)`${cond} && ${len} <= ${max}`;
          cxt.pass(cond);
          return;
        }
        it.items = true;
        const valid = gen.name("valid");
        if (max === void 0 && min === 1) {
          validateItems(valid, () => gen.if(valid, () => gen.break()));
        } else if (min === 0) {
          gen.let(valid, true);
          if (max !== void 0)
            gen.if((0, codegen_1._)`${data}.length > 0`, validateItemsWithCount);
        } else {
          gen.let(valid, false);
          validateItemsWithCount();
        }
        cxt.result(valid, () => cxt.reset());
        function validateItemsWithCount() {
          const schValid = gen.name("_valid");
          const count = gen.let("count", 0);
          validateItems(schValid, () => gen.if(schValid, () => checkLimits(count)));
        }
        function validateItems(_valid, block) {
          gen.forRange("i", 0, len, (i) => {
            cxt.subschema({
              keyword: "contains",
              dataProp: i,
              dataPropType: util_1.Type.Num,
              compositeRule: true
            }, _valid);
            block();
          });
        }
        function checkLimits(count) {
          gen.code((0, codegen_1._)`${count}++`);
          if (max === void 0) {
            gen.if((0, codegen_1._)`${count} >= ${min}`, () => gen.assign(valid, true).break());
          } else {
            gen.if((0, codegen_1._)`${count} > ${max}`, () => gen.assign(valid, false).break());
            if (min === 1)
              gen.assign(valid, true);
            else
              gen.if((0, codegen_1._)`${count} >= ${min}`, () => gen.assign(valid, true));
          }
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/dependencies.js
var require_dependencies = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/dependencies.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.validateSchemaDeps = exports.validatePropertyDeps = exports.error = void 0;
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var code_1 = require_code2();
    exports.error = {
      message: ({ params: { property, depsCount, deps } }) => {
        const property_ies = depsCount === 1 ? "property" : "properties";
        return (0, codegen_1.str)`must have ${property_ies} ${deps} when property ${property} is present`;
      },
      params: ({ params: { property, depsCount, deps, missingProperty } }) => (0, codegen_1._)`{property: ${property},
    missingProperty: ${missingProperty},
    depsCount: ${depsCount},
    deps: ${deps}}`
      // TODO change to reference
    };
    var def = {
      keyword: "dependencies",
      type: "object",
      schemaType: "object",
      error: exports.error,
      code(cxt) {
        const [propDeps, schDeps] = splitDependencies(cxt);
        validatePropertyDeps(cxt, propDeps);
        validateSchemaDeps(cxt, schDeps);
      }
    };
    function splitDependencies({ schema }) {
      const propertyDeps = {};
      const schemaDeps = {};
      for (const key in schema) {
        if (key === "__proto__")
          continue;
        const deps = Array.isArray(schema[key]) ? propertyDeps : schemaDeps;
        deps[key] = schema[key];
      }
      return [propertyDeps, schemaDeps];
    }
    function validatePropertyDeps(cxt, propertyDeps = cxt.schema) {
      const { gen, data, it } = cxt;
      if (Object.keys(propertyDeps).length === 0)
        return;
      const missing = gen.let("missing");
      for (const prop in propertyDeps) {
        const deps = propertyDeps[prop];
        if (deps.length === 0)
          continue;
        const hasProperty = (0, code_1.propertyInData)(gen, data, prop, it.opts.ownProperties);
        cxt.setParams({
          property: prop,
          depsCount: deps.length,
          deps: deps.join(", ")
        });
        if (it.allErrors) {
          gen.if(hasProperty, () => {
            for (const depProp of deps) {
              (0, code_1.checkReportMissingProp)(cxt, depProp);
            }
          });
        } else {
          gen.if((0, codegen_1._)`${hasProperty} && (${(0, code_1.checkMissingProp)(cxt, deps, missing)})`);
          (0, code_1.reportMissingProp)(cxt, missing);
          gen.else();
        }
      }
    }
    exports.validatePropertyDeps = validatePropertyDeps;
    function validateSchemaDeps(cxt, schemaDeps = cxt.schema) {
      const { gen, data, keyword, it } = cxt;
      const valid = gen.name("valid");
      for (const prop in schemaDeps) {
        if ((0, util_1.alwaysValidSchema)(it, schemaDeps[prop]))
          continue;
        gen.if(
          (0, code_1.propertyInData)(gen, data, prop, it.opts.ownProperties),
          () => {
            const schCxt = cxt.subschema({ keyword, schemaProp: prop }, valid);
            cxt.mergeValidEvaluated(schCxt, valid);
          },
          () => gen.var(valid, true)
          // TODO var
        );
        cxt.ok(valid);
      }
    }
    exports.validateSchemaDeps = validateSchemaDeps;
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/propertyNames.js
var require_propertyNames = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/propertyNames.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var error = {
      message: "property name must be valid",
      params: ({ params }) => (0, codegen_1._)`{propertyName: ${params.propertyName}}`
    };
    var def = {
      keyword: "propertyNames",
      type: "object",
      schemaType: ["object", "boolean"],
      error,
      code(cxt) {
        const { gen, schema, data, it } = cxt;
        if ((0, util_1.alwaysValidSchema)(it, schema))
          return;
        const valid = gen.name("valid");
        gen.forIn("key", data, (key) => {
          cxt.setParams({ propertyName: key });
          cxt.subschema({
            keyword: "propertyNames",
            data: key,
            dataTypes: ["string"],
            propertyName: key,
            compositeRule: true
          }, valid);
          gen.if((0, codegen_1.not)(valid), () => {
            cxt.error(true);
            if (!it.allErrors)
              gen.break();
          });
        });
        cxt.ok(valid);
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/additionalProperties.js
var require_additionalProperties = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/additionalProperties.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var code_1 = require_code2();
    var codegen_1 = require_codegen();
    var names_1 = require_names();
    var util_1 = require_util();
    var error = {
      message: "must NOT have additional properties",
      params: ({ params }) => (0, codegen_1._)`{additionalProperty: ${params.additionalProperty}}`
    };
    var def = {
      keyword: "additionalProperties",
      type: ["object"],
      schemaType: ["boolean", "object"],
      allowUndefined: true,
      trackErrors: true,
      error,
      code(cxt) {
        const { gen, schema, parentSchema, data, errsCount, it } = cxt;
        if (!errsCount)
          throw new Error("ajv implementation error");
        const { allErrors, opts } = it;
        it.props = true;
        if (opts.removeAdditional !== "all" && (0, util_1.alwaysValidSchema)(it, schema))
          return;
        const props = (0, code_1.allSchemaProperties)(parentSchema.properties);
        const patProps = (0, code_1.allSchemaProperties)(parentSchema.patternProperties);
        checkAdditionalProperties();
        cxt.ok((0, codegen_1._)`${errsCount} === ${names_1.default.errors}`);
        function checkAdditionalProperties() {
          gen.forIn("key", data, (key) => {
            if (!props.length && !patProps.length)
              additionalPropertyCode(key);
            else
              gen.if(isAdditional(key), () => additionalPropertyCode(key));
          });
        }
        function isAdditional(key) {
          let definedProp;
          if (props.length > 8) {
            const propsSchema = (0, util_1.schemaRefOrVal)(it, parentSchema.properties, "properties");
            definedProp = (0, code_1.isOwnProperty)(gen, propsSchema, key);
          } else if (props.length) {
            definedProp = (0, codegen_1.or)(...props.map((p) => (0, codegen_1._)`${key} === ${p}`));
          } else {
            definedProp = codegen_1.nil;
          }
          if (patProps.length) {
            definedProp = (0, codegen_1.or)(definedProp, ...patProps.map((p) => (0, codegen_1._)`${(0, code_1.usePattern)(cxt, p)}.test(${key})`));
          }
          return (0, codegen_1.not)(definedProp);
        }
        function deleteAdditional(key) {
          gen.code((0, codegen_1._)`delete ${data}[${key}]`);
        }
        function additionalPropertyCode(key) {
          if (opts.removeAdditional === "all" || opts.removeAdditional && schema === false) {
            deleteAdditional(key);
            return;
          }
          if (schema === false) {
            cxt.setParams({ additionalProperty: key });
            cxt.error();
            if (!allErrors)
              gen.break();
            return;
          }
          if (typeof schema == "object" && !(0, util_1.alwaysValidSchema)(it, schema)) {
            const valid = gen.name("valid");
            if (opts.removeAdditional === "failing") {
              applyAdditionalSchema(key, valid, false);
              gen.if((0, codegen_1.not)(valid), () => {
                cxt.reset();
                deleteAdditional(key);
              });
            } else {
              applyAdditionalSchema(key, valid);
              if (!allErrors)
                gen.if((0, codegen_1.not)(valid), () => gen.break());
            }
          }
        }
        function applyAdditionalSchema(key, valid, errors) {
          const subschema = {
            keyword: "additionalProperties",
            dataProp: key,
            dataPropType: util_1.Type.Str
          };
          if (errors === false) {
            Object.assign(subschema, {
              compositeRule: true,
              createErrors: false,
              allErrors: false
            });
          }
          cxt.subschema(subschema, valid);
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/properties.js
var require_properties = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/properties.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var validate_1 = require_validate();
    var code_1 = require_code2();
    var util_1 = require_util();
    var additionalProperties_1 = require_additionalProperties();
    var def = {
      keyword: "properties",
      type: "object",
      schemaType: "object",
      code(cxt) {
        const { gen, schema, parentSchema, data, it } = cxt;
        if (it.opts.removeAdditional === "all" && parentSchema.additionalProperties === void 0) {
          additionalProperties_1.default.code(new validate_1.KeywordCxt(it, additionalProperties_1.default, "additionalProperties"));
        }
        const allProps = (0, code_1.allSchemaProperties)(schema);
        for (const prop of allProps) {
          it.definedProperties.add(prop);
        }
        if (it.opts.unevaluated && allProps.length && it.props !== true) {
          it.props = util_1.mergeEvaluated.props(gen, (0, util_1.toHash)(allProps), it.props);
        }
        const properties = allProps.filter((p) => !(0, util_1.alwaysValidSchema)(it, schema[p]));
        if (properties.length === 0)
          return;
        const valid = gen.name("valid");
        for (const prop of properties) {
          if (hasDefault(prop)) {
            applyPropertySchema(prop);
          } else {
            gen.if((0, code_1.propertyInData)(gen, data, prop, it.opts.ownProperties));
            applyPropertySchema(prop);
            if (!it.allErrors)
              gen.else().var(valid, true);
            gen.endIf();
          }
          cxt.it.definedProperties.add(prop);
          cxt.ok(valid);
        }
        function hasDefault(prop) {
          return it.opts.useDefaults && !it.compositeRule && schema[prop].default !== void 0;
        }
        function applyPropertySchema(prop) {
          cxt.subschema({
            keyword: "properties",
            schemaProp: prop,
            dataProp: prop
          }, valid);
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/patternProperties.js
var require_patternProperties = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/patternProperties.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var code_1 = require_code2();
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var util_2 = require_util();
    var def = {
      keyword: "patternProperties",
      type: "object",
      schemaType: "object",
      code(cxt) {
        const { gen, schema, data, parentSchema, it } = cxt;
        const { opts } = it;
        const patterns = (0, code_1.allSchemaProperties)(schema);
        const alwaysValidPatterns = patterns.filter((p) => (0, util_1.alwaysValidSchema)(it, schema[p]));
        if (patterns.length === 0 || alwaysValidPatterns.length === patterns.length && (!it.opts.unevaluated || it.props === true)) {
          return;
        }
        const checkProperties = opts.strictSchema && !opts.allowMatchingProperties && parentSchema.properties;
        const valid = gen.name("valid");
        if (it.props !== true && !(it.props instanceof codegen_1.Name)) {
          it.props = (0, util_2.evaluatedPropsToName)(gen, it.props);
        }
        const { props } = it;
        validatePatternProperties();
        function validatePatternProperties() {
          for (const pat of patterns) {
            if (checkProperties)
              checkMatchingProperties(pat);
            if (it.allErrors) {
              validateProperties(pat);
            } else {
              gen.var(valid, true);
              validateProperties(pat);
              gen.if(valid);
            }
          }
        }
        function checkMatchingProperties(pat) {
          for (const prop in checkProperties) {
            if (new RegExp(pat).test(prop)) {
              (0, util_1.checkStrictMode)(it, `property ${prop} matches pattern ${pat} (use allowMatchingProperties)`);
            }
          }
        }
        function validateProperties(pat) {
          gen.forIn("key", data, (key) => {
            gen.if((0, codegen_1._)`${(0, code_1.usePattern)(cxt, pat)}.test(${key})`, () => {
              const alwaysValid = alwaysValidPatterns.includes(pat);
              if (!alwaysValid) {
                cxt.subschema({
                  keyword: "patternProperties",
                  schemaProp: pat,
                  dataProp: key,
                  dataPropType: util_2.Type.Str
                }, valid);
              }
              if (it.opts.unevaluated && props !== true) {
                gen.assign((0, codegen_1._)`${props}[${key}]`, true);
              } else if (!alwaysValid && !it.allErrors) {
                gen.if((0, codegen_1.not)(valid), () => gen.break());
              }
            });
          });
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/not.js
var require_not = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/not.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var util_1 = require_util();
    var def = {
      keyword: "not",
      schemaType: ["object", "boolean"],
      trackErrors: true,
      code(cxt) {
        const { gen, schema, it } = cxt;
        if ((0, util_1.alwaysValidSchema)(it, schema)) {
          cxt.fail();
          return;
        }
        const valid = gen.name("valid");
        cxt.subschema({
          keyword: "not",
          compositeRule: true,
          createErrors: false,
          allErrors: false
        }, valid);
        cxt.failResult(valid, () => cxt.reset(), () => cxt.error());
      },
      error: { message: "must NOT be valid" }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/anyOf.js
var require_anyOf = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/anyOf.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var code_1 = require_code2();
    var def = {
      keyword: "anyOf",
      schemaType: "array",
      trackErrors: true,
      code: code_1.validateUnion,
      error: { message: "must match a schema in anyOf" }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/oneOf.js
var require_oneOf = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/oneOf.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var error = {
      message: "must match exactly one schema in oneOf",
      params: ({ params }) => (0, codegen_1._)`{passingSchemas: ${params.passing}}`
    };
    var def = {
      keyword: "oneOf",
      schemaType: "array",
      trackErrors: true,
      error,
      code(cxt) {
        const { gen, schema, parentSchema, it } = cxt;
        if (!Array.isArray(schema))
          throw new Error("ajv implementation error");
        if (it.opts.discriminator && parentSchema.discriminator)
          return;
        const schArr = schema;
        const valid = gen.let("valid", false);
        const passing = gen.let("passing", null);
        const schValid = gen.name("_valid");
        cxt.setParams({ passing });
        gen.block(validateOneOf);
        cxt.result(valid, () => cxt.reset(), () => cxt.error(true));
        function validateOneOf() {
          schArr.forEach((sch, i) => {
            let schCxt;
            if ((0, util_1.alwaysValidSchema)(it, sch)) {
              gen.var(schValid, true);
            } else {
              schCxt = cxt.subschema({
                keyword: "oneOf",
                schemaProp: i,
                compositeRule: true
              }, schValid);
            }
            if (i > 0) {
              gen.if((0, codegen_1._)`${schValid} && ${valid}`).assign(valid, false).assign(passing, (0, codegen_1._)`[${passing}, ${i}]`).else();
            }
            gen.if(schValid, () => {
              gen.assign(valid, true);
              gen.assign(passing, i);
              if (schCxt)
                cxt.mergeEvaluated(schCxt, codegen_1.Name);
            });
          });
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/allOf.js
var require_allOf = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/allOf.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var util_1 = require_util();
    var def = {
      keyword: "allOf",
      schemaType: "array",
      code(cxt) {
        const { gen, schema, it } = cxt;
        if (!Array.isArray(schema))
          throw new Error("ajv implementation error");
        const valid = gen.name("valid");
        schema.forEach((sch, i) => {
          if ((0, util_1.alwaysValidSchema)(it, sch))
            return;
          const schCxt = cxt.subschema({ keyword: "allOf", schemaProp: i }, valid);
          cxt.ok(valid);
          cxt.mergeEvaluated(schCxt);
        });
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/if.js
var require_if = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/if.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var error = {
      message: ({ params }) => (0, codegen_1.str)`must match "${params.ifClause}" schema`,
      params: ({ params }) => (0, codegen_1._)`{failingKeyword: ${params.ifClause}}`
    };
    var def = {
      keyword: "if",
      schemaType: ["object", "boolean"],
      trackErrors: true,
      error,
      code(cxt) {
        const { gen, parentSchema, it } = cxt;
        if (parentSchema.then === void 0 && parentSchema.else === void 0) {
          (0, util_1.checkStrictMode)(it, '"if" without "then" and "else" is ignored');
        }
        const hasThen = hasSchema(it, "then");
        const hasElse = hasSchema(it, "else");
        if (!hasThen && !hasElse)
          return;
        const valid = gen.let("valid", true);
        const schValid = gen.name("_valid");
        validateIf();
        cxt.reset();
        if (hasThen && hasElse) {
          const ifClause = gen.let("ifClause");
          cxt.setParams({ ifClause });
          gen.if(schValid, validateClause("then", ifClause), validateClause("else", ifClause));
        } else if (hasThen) {
          gen.if(schValid, validateClause("then"));
        } else {
          gen.if((0, codegen_1.not)(schValid), validateClause("else"));
        }
        cxt.pass(valid, () => cxt.error(true));
        function validateIf() {
          const schCxt = cxt.subschema({
            keyword: "if",
            compositeRule: true,
            createErrors: false,
            allErrors: false
          }, schValid);
          cxt.mergeEvaluated(schCxt);
        }
        function validateClause(keyword, ifClause) {
          return () => {
            const schCxt = cxt.subschema({ keyword }, schValid);
            gen.assign(valid, schValid);
            cxt.mergeValidEvaluated(schCxt, valid);
            if (ifClause)
              gen.assign(ifClause, (0, codegen_1._)`${keyword}`);
            else
              cxt.setParams({ ifClause: keyword });
          };
        }
      }
    };
    function hasSchema(it, keyword) {
      const schema = it.schema[keyword];
      return schema !== void 0 && !(0, util_1.alwaysValidSchema)(it, schema);
    }
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/thenElse.js
var require_thenElse = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/thenElse.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var util_1 = require_util();
    var def = {
      keyword: ["then", "else"],
      schemaType: ["object", "boolean"],
      code({ keyword, parentSchema, it }) {
        if (parentSchema.if === void 0)
          (0, util_1.checkStrictMode)(it, `"${keyword}" without "if" is ignored`);
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/index.js
var require_applicator = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var additionalItems_1 = require_additionalItems();
    var prefixItems_1 = require_prefixItems();
    var items_1 = require_items();
    var items2020_1 = require_items2020();
    var contains_1 = require_contains();
    var dependencies_1 = require_dependencies();
    var propertyNames_1 = require_propertyNames();
    var additionalProperties_1 = require_additionalProperties();
    var properties_1 = require_properties();
    var patternProperties_1 = require_patternProperties();
    var not_1 = require_not();
    var anyOf_1 = require_anyOf();
    var oneOf_1 = require_oneOf();
    var allOf_1 = require_allOf();
    var if_1 = require_if();
    var thenElse_1 = require_thenElse();
    function getApplicator(draft2020 = false) {
      const applicator = [
        // any
        not_1.default,
        anyOf_1.default,
        oneOf_1.default,
        allOf_1.default,
        if_1.default,
        thenElse_1.default,
        // object
        propertyNames_1.default,
        additionalProperties_1.default,
        dependencies_1.default,
        properties_1.default,
        patternProperties_1.default
      ];
      if (draft2020)
        applicator.push(prefixItems_1.default, items2020_1.default);
      else
        applicator.push(additionalItems_1.default, items_1.default);
      applicator.push(contains_1.default);
      return applicator;
    }
    exports.default = getApplicator;
  }
});

// node_modules/ajv/dist/vocabularies/format/format.js
var require_format = __commonJS({
  "node_modules/ajv/dist/vocabularies/format/format.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var error = {
      message: ({ schemaCode }) => (0, codegen_1.str)`must match format "${schemaCode}"`,
      params: ({ schemaCode }) => (0, codegen_1._)`{format: ${schemaCode}}`
    };
    var def = {
      keyword: "format",
      type: ["number", "string"],
      schemaType: "string",
      $data: true,
      error,
      code(cxt, ruleType) {
        const { gen, data, $data, schema, schemaCode, it } = cxt;
        const { opts, errSchemaPath, schemaEnv, self } = it;
        if (!opts.validateFormats)
          return;
        if ($data)
          validate$DataFormat();
        else
          validateFormat();
        function validate$DataFormat() {
          const fmts = gen.scopeValue("formats", {
            ref: self.formats,
            code: opts.code.formats
          });
          const fDef = gen.const("fDef", (0, codegen_1._)`${fmts}[${schemaCode}]`);
          const fType = gen.let("fType");
          const format = gen.let("format");
          gen.if((0, codegen_1._)`typeof ${fDef} == "object" && !(${fDef} instanceof RegExp)`, () => gen.assign(fType, (0, codegen_1._)`${fDef}.type || "string"`).assign(format, (0, codegen_1._)`${fDef}.validate`), () => gen.assign(fType, (0, codegen_1._)`"string"`).assign(format, fDef));
          cxt.fail$data((0, codegen_1.or)(unknownFmt(), invalidFmt()));
          function unknownFmt() {
            if (opts.strictSchema === false)
              return codegen_1.nil;
            return (0, codegen_1._)`${schemaCode} && !${format}`;
          }
          function invalidFmt() {
            const callFormat = schemaEnv.$async ? (0, codegen_1._)`(${fDef}.async ? await ${format}(${data}) : ${format}(${data}))` : (0, codegen_1._)`${format}(${data})`;
            const validData = (0, codegen_1._)`(typeof ${format} == "function" ? ${callFormat} : ${format}.test(${data}))`;
            return (0, codegen_1._)`${format} && ${format} !== true && ${fType} === ${ruleType} && !${validData}`;
          }
        }
        function validateFormat() {
          const formatDef = self.formats[schema];
          if (!formatDef) {
            unknownFormat();
            return;
          }
          if (formatDef === true)
            return;
          const [fmtType, format, fmtRef] = getFormat(formatDef);
          if (fmtType === ruleType)
            cxt.pass(validCondition());
          function unknownFormat() {
            if (opts.strictSchema === false) {
              self.logger.warn(unknownMsg());
              return;
            }
            throw new Error(unknownMsg());
            function unknownMsg() {
              return `unknown format "${schema}" ignored in schema at path "${errSchemaPath}"`;
            }
          }
          function getFormat(fmtDef) {
            const code2 = fmtDef instanceof RegExp ? (0, codegen_1.regexpCode)(fmtDef) : opts.code.formats ? (0, codegen_1._)`${opts.code.formats}${(0, codegen_1.getProperty)(schema)}` : void 0;
            const fmt = gen.scopeValue("formats", { key: schema, ref: fmtDef, code: code2 });
            if (typeof fmtDef == "object" && !(fmtDef instanceof RegExp)) {
              return [fmtDef.type || "string", fmtDef.validate, (0, codegen_1._)`${fmt}.validate`];
            }
            return ["string", fmtDef, fmt];
          }
          function validCondition() {
            if (typeof formatDef == "object" && !(formatDef instanceof RegExp) && formatDef.async) {
              if (!schemaEnv.$async)
                throw new Error("async format in sync schema");
              return (0, codegen_1._)`await ${fmtRef}(${data})`;
            }
            return typeof format == "function" ? (0, codegen_1._)`${fmtRef}(${data})` : (0, codegen_1._)`${fmtRef}.test(${data})`;
          }
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/format/index.js
var require_format2 = __commonJS({
  "node_modules/ajv/dist/vocabularies/format/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var format_1 = require_format();
    var format = [format_1.default];
    exports.default = format;
  }
});

// node_modules/ajv/dist/vocabularies/metadata.js
var require_metadata = __commonJS({
  "node_modules/ajv/dist/vocabularies/metadata.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.contentVocabulary = exports.metadataVocabulary = void 0;
    exports.metadataVocabulary = [
      "title",
      "description",
      "default",
      "deprecated",
      "readOnly",
      "writeOnly",
      "examples"
    ];
    exports.contentVocabulary = [
      "contentMediaType",
      "contentEncoding",
      "contentSchema"
    ];
  }
});

// node_modules/ajv/dist/vocabularies/draft7.js
var require_draft7 = __commonJS({
  "node_modules/ajv/dist/vocabularies/draft7.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var core_1 = require_core2();
    var validation_1 = require_validation();
    var applicator_1 = require_applicator();
    var format_1 = require_format2();
    var metadata_1 = require_metadata();
    var draft7Vocabularies = [
      core_1.default,
      validation_1.default,
      (0, applicator_1.default)(),
      format_1.default,
      metadata_1.metadataVocabulary,
      metadata_1.contentVocabulary
    ];
    exports.default = draft7Vocabularies;
  }
});

// node_modules/ajv/dist/vocabularies/discriminator/types.js
var require_types = __commonJS({
  "node_modules/ajv/dist/vocabularies/discriminator/types.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.DiscrError = void 0;
    var DiscrError;
    (function(DiscrError2) {
      DiscrError2["Tag"] = "tag";
      DiscrError2["Mapping"] = "mapping";
    })(DiscrError || (exports.DiscrError = DiscrError = {}));
  }
});

// node_modules/ajv/dist/vocabularies/discriminator/index.js
var require_discriminator = __commonJS({
  "node_modules/ajv/dist/vocabularies/discriminator/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var types_1 = require_types();
    var compile_1 = require_compile();
    var ref_error_1 = require_ref_error();
    var util_1 = require_util();
    var error = {
      message: ({ params: { discrError, tagName } }) => discrError === types_1.DiscrError.Tag ? `tag "${tagName}" must be string` : `value of tag "${tagName}" must be in oneOf`,
      params: ({ params: { discrError, tag, tagName } }) => (0, codegen_1._)`{error: ${discrError}, tag: ${tagName}, tagValue: ${tag}}`
    };
    var def = {
      keyword: "discriminator",
      type: "object",
      schemaType: "object",
      error,
      code(cxt) {
        const { gen, data, schema, parentSchema, it } = cxt;
        const { oneOf } = parentSchema;
        if (!it.opts.discriminator) {
          throw new Error("discriminator: requires discriminator option");
        }
        const tagName = schema.propertyName;
        if (typeof tagName != "string")
          throw new Error("discriminator: requires propertyName");
        if (schema.mapping)
          throw new Error("discriminator: mapping is not supported");
        if (!oneOf)
          throw new Error("discriminator: requires oneOf keyword");
        const valid = gen.let("valid", false);
        const tag = gen.const("tag", (0, codegen_1._)`${data}${(0, codegen_1.getProperty)(tagName)}`);
        gen.if((0, codegen_1._)`typeof ${tag} == "string"`, () => validateMapping(), () => cxt.error(false, { discrError: types_1.DiscrError.Tag, tag, tagName }));
        cxt.ok(valid);
        function validateMapping() {
          const mapping = getMapping();
          gen.if(false);
          for (const tagValue in mapping) {
            gen.elseIf((0, codegen_1._)`${tag} === ${tagValue}`);
            gen.assign(valid, applyTagSchema(mapping[tagValue]));
          }
          gen.else();
          cxt.error(false, { discrError: types_1.DiscrError.Mapping, tag, tagName });
          gen.endIf();
        }
        function applyTagSchema(schemaProp) {
          const _valid = gen.name("valid");
          const schCxt = cxt.subschema({ keyword: "oneOf", schemaProp }, _valid);
          cxt.mergeEvaluated(schCxt, codegen_1.Name);
          return _valid;
        }
        function getMapping() {
          var _a;
          const oneOfMapping = {};
          const topRequired = hasRequired(parentSchema);
          let tagRequired = true;
          for (let i = 0; i < oneOf.length; i++) {
            let sch = oneOf[i];
            if ((sch === null || sch === void 0 ? void 0 : sch.$ref) && !(0, util_1.schemaHasRulesButRef)(sch, it.self.RULES)) {
              const ref = sch.$ref;
              sch = compile_1.resolveRef.call(it.self, it.schemaEnv.root, it.baseId, ref);
              if (sch instanceof compile_1.SchemaEnv)
                sch = sch.schema;
              if (sch === void 0)
                throw new ref_error_1.default(it.opts.uriResolver, it.baseId, ref);
            }
            const propSch = (_a = sch === null || sch === void 0 ? void 0 : sch.properties) === null || _a === void 0 ? void 0 : _a[tagName];
            if (typeof propSch != "object") {
              throw new Error(`discriminator: oneOf subschemas (or referenced schemas) must have "properties/${tagName}"`);
            }
            tagRequired = tagRequired && (topRequired || hasRequired(sch));
            addMappings(propSch, i);
          }
          if (!tagRequired)
            throw new Error(`discriminator: "${tagName}" must be required`);
          return oneOfMapping;
          function hasRequired({ required }) {
            return Array.isArray(required) && required.includes(tagName);
          }
          function addMappings(sch, i) {
            if (sch.const) {
              addMapping(sch.const, i);
            } else if (sch.enum) {
              for (const tagValue of sch.enum) {
                addMapping(tagValue, i);
              }
            } else {
              throw new Error(`discriminator: "properties/${tagName}" must have "const" or "enum"`);
            }
          }
          function addMapping(tagValue, i) {
            if (typeof tagValue != "string" || tagValue in oneOfMapping) {
              throw new Error(`discriminator: "${tagName}" values must be unique strings`);
            }
            oneOfMapping[tagValue] = i;
          }
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/refs/json-schema-draft-07.json
var require_json_schema_draft_07 = __commonJS({
  "node_modules/ajv/dist/refs/json-schema-draft-07.json"(exports, module) {
    module.exports = {
      $schema: "http://json-schema.org/draft-07/schema#",
      $id: "http://json-schema.org/draft-07/schema#",
      title: "Core schema meta-schema",
      definitions: {
        schemaArray: {
          type: "array",
          minItems: 1,
          items: { $ref: "#" }
        },
        nonNegativeInteger: {
          type: "integer",
          minimum: 0
        },
        nonNegativeIntegerDefault0: {
          allOf: [{ $ref: "#/definitions/nonNegativeInteger" }, { default: 0 }]
        },
        simpleTypes: {
          enum: ["array", "boolean", "integer", "null", "number", "object", "string"]
        },
        stringArray: {
          type: "array",
          items: { type: "string" },
          uniqueItems: true,
          default: []
        }
      },
      type: ["object", "boolean"],
      properties: {
        $id: {
          type: "string",
          format: "uri-reference"
        },
        $schema: {
          type: "string",
          format: "uri"
        },
        $ref: {
          type: "string",
          format: "uri-reference"
        },
        $comment: {
          type: "string"
        },
        title: {
          type: "string"
        },
        description: {
          type: "string"
        },
        default: true,
        readOnly: {
          type: "boolean",
          default: false
        },
        examples: {
          type: "array",
          items: true
        },
        multipleOf: {
          type: "number",
          exclusiveMinimum: 0
        },
        maximum: {
          type: "number"
        },
        exclusiveMaximum: {
          type: "number"
        },
        minimum: {
          type: "number"
        },
        exclusiveMinimum: {
          type: "number"
        },
        maxLength: { $ref: "#/definitions/nonNegativeInteger" },
        minLength: { $ref: "#/definitions/nonNegativeIntegerDefault0" },
        pattern: {
          type: "string",
          format: "regex"
        },
        additionalItems: { $ref: "#" },
        items: {
          anyOf: [{ $ref: "#" }, { $ref: "#/definitions/schemaArray" }],
          default: true
        },
        maxItems: { $ref: "#/definitions/nonNegativeInteger" },
        minItems: { $ref: "#/definitions/nonNegativeIntegerDefault0" },
        uniqueItems: {
          type: "boolean",
          default: false
        },
        contains: { $ref: "#" },
        maxProperties: { $ref: "#/definitions/nonNegativeInteger" },
        minProperties: { $ref: "#/definitions/nonNegativeIntegerDefault0" },
        required: { $ref: "#/definitions/stringArray" },
        additionalProperties: { $ref: "#" },
        definitions: {
          type: "object",
          additionalProperties: { $ref: "#" },
          default: {}
        },
        properties: {
          type: "object",
          additionalProperties: { $ref: "#" },
          default: {}
        },
        patternProperties: {
          type: "object",
          additionalProperties: { $ref: "#" },
          propertyNames: { format: "regex" },
          default: {}
        },
        dependencies: {
          type: "object",
          additionalProperties: {
            anyOf: [{ $ref: "#" }, { $ref: "#/definitions/stringArray" }]
          }
        },
        propertyNames: { $ref: "#" },
        const: true,
        enum: {
          type: "array",
          items: true,
          minItems: 1,
          uniqueItems: true
        },
        type: {
          anyOf: [
            { $ref: "#/definitions/simpleTypes" },
            {
              type: "array",
              items: { $ref: "#/definitions/simpleTypes" },
              minItems: 1,
              uniqueItems: true
            }
          ]
        },
        format: { type: "string" },
        contentMediaType: { type: "string" },
        contentEncoding: { type: "string" },
        if: { $ref: "#" },
        then: { $ref: "#" },
        else: { $ref: "#" },
        allOf: { $ref: "#/definitions/schemaArray" },
        anyOf: { $ref: "#/definitions/schemaArray" },
        oneOf: { $ref: "#/definitions/schemaArray" },
        not: { $ref: "#" }
      },
      default: true
    };
  }
});

// node_modules/ajv/dist/ajv.js
var require_ajv = __commonJS({
  "node_modules/ajv/dist/ajv.js"(exports, module) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.MissingRefError = exports.ValidationError = exports.CodeGen = exports.Name = exports.nil = exports.stringify = exports.str = exports._ = exports.KeywordCxt = exports.Ajv = void 0;
    var core_1 = require_core();
    var draft7_1 = require_draft7();
    var discriminator_1 = require_discriminator();
    var draft7MetaSchema = require_json_schema_draft_07();
    var META_SUPPORT_DATA = ["/properties"];
    var META_SCHEMA_ID = "http://json-schema.org/draft-07/schema";
    var Ajv2 = class extends core_1.default {
      _addVocabularies() {
        super._addVocabularies();
        draft7_1.default.forEach((v) => this.addVocabulary(v));
        if (this.opts.discriminator)
          this.addKeyword(discriminator_1.default);
      }
      _addDefaultMetaSchema() {
        super._addDefaultMetaSchema();
        if (!this.opts.meta)
          return;
        const metaSchema = this.opts.$data ? this.$dataMetaSchema(draft7MetaSchema, META_SUPPORT_DATA) : draft7MetaSchema;
        this.addMetaSchema(metaSchema, META_SCHEMA_ID, false);
        this.refs["http://json-schema.org/schema"] = META_SCHEMA_ID;
      }
      defaultMeta() {
        return this.opts.defaultMeta = super.defaultMeta() || (this.getSchema(META_SCHEMA_ID) ? META_SCHEMA_ID : void 0);
      }
    };
    exports.Ajv = Ajv2;
    module.exports = exports = Ajv2;
    module.exports.Ajv = Ajv2;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.default = Ajv2;
    var validate_1 = require_validate();
    Object.defineProperty(exports, "KeywordCxt", { enumerable: true, get: function() {
      return validate_1.KeywordCxt;
    } });
    var codegen_1 = require_codegen();
    Object.defineProperty(exports, "_", { enumerable: true, get: function() {
      return codegen_1._;
    } });
    Object.defineProperty(exports, "str", { enumerable: true, get: function() {
      return codegen_1.str;
    } });
    Object.defineProperty(exports, "stringify", { enumerable: true, get: function() {
      return codegen_1.stringify;
    } });
    Object.defineProperty(exports, "nil", { enumerable: true, get: function() {
      return codegen_1.nil;
    } });
    Object.defineProperty(exports, "Name", { enumerable: true, get: function() {
      return codegen_1.Name;
    } });
    Object.defineProperty(exports, "CodeGen", { enumerable: true, get: function() {
      return codegen_1.CodeGen;
    } });
    var validation_error_1 = require_validation_error();
    Object.defineProperty(exports, "ValidationError", { enumerable: true, get: function() {
      return validation_error_1.default;
    } });
    var ref_error_1 = require_ref_error();
    Object.defineProperty(exports, "MissingRefError", { enumerable: true, get: function() {
      return ref_error_1.default;
    } });
  }
});

// node_modules/yaml/dist/nodes/identity.js
var require_identity = __commonJS({
  "node_modules/yaml/dist/nodes/identity.js"(exports) {
    "use strict";
    var ALIAS = /* @__PURE__ */ Symbol.for("yaml.alias");
    var DOC = /* @__PURE__ */ Symbol.for("yaml.document");
    var MAP = /* @__PURE__ */ Symbol.for("yaml.map");
    var PAIR = /* @__PURE__ */ Symbol.for("yaml.pair");
    var SCALAR = /* @__PURE__ */ Symbol.for("yaml.scalar");
    var SEQ = /* @__PURE__ */ Symbol.for("yaml.seq");
    var NODE_TYPE = /* @__PURE__ */ Symbol.for("yaml.node.type");
    var isAlias2 = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === ALIAS;
    var isDocument = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === DOC;
    var isMap10 = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === MAP;
    var isPair3 = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === PAIR;
    var isScalar8 = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === SCALAR;
    var isSeq8 = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === SEQ;
    function isCollection(node) {
      if (node && typeof node === "object")
        switch (node[NODE_TYPE]) {
          case MAP:
          case SEQ:
            return true;
        }
      return false;
    }
    function isNode2(node) {
      if (node && typeof node === "object")
        switch (node[NODE_TYPE]) {
          case ALIAS:
          case MAP:
          case SCALAR:
          case SEQ:
            return true;
        }
      return false;
    }
    var hasAnchor = (node) => (isScalar8(node) || isCollection(node)) && !!node.anchor;
    exports.ALIAS = ALIAS;
    exports.DOC = DOC;
    exports.MAP = MAP;
    exports.NODE_TYPE = NODE_TYPE;
    exports.PAIR = PAIR;
    exports.SCALAR = SCALAR;
    exports.SEQ = SEQ;
    exports.hasAnchor = hasAnchor;
    exports.isAlias = isAlias2;
    exports.isCollection = isCollection;
    exports.isDocument = isDocument;
    exports.isMap = isMap10;
    exports.isNode = isNode2;
    exports.isPair = isPair3;
    exports.isScalar = isScalar8;
    exports.isSeq = isSeq8;
  }
});

// node_modules/yaml/dist/visit.js
var require_visit = __commonJS({
  "node_modules/yaml/dist/visit.js"(exports) {
    "use strict";
    var identity = require_identity();
    var BREAK = /* @__PURE__ */ Symbol("break visit");
    var SKIP = /* @__PURE__ */ Symbol("skip children");
    var REMOVE = /* @__PURE__ */ Symbol("remove node");
    function visit2(node, visitor) {
      const visitor_ = initVisitor(visitor);
      if (identity.isDocument(node)) {
        const cd = visit_(null, node.contents, visitor_, Object.freeze([node]));
        if (cd === REMOVE)
          node.contents = null;
      } else
        visit_(null, node, visitor_, Object.freeze([]));
    }
    visit2.BREAK = BREAK;
    visit2.SKIP = SKIP;
    visit2.REMOVE = REMOVE;
    function visit_(key, node, visitor, path) {
      const ctrl = callVisitor(key, node, visitor, path);
      if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
        replaceNode(key, path, ctrl);
        return visit_(key, ctrl, visitor, path);
      }
      if (typeof ctrl !== "symbol") {
        if (identity.isCollection(node)) {
          path = Object.freeze(path.concat(node));
          for (let i = 0; i < node.items.length; ++i) {
            const ci = visit_(i, node.items[i], visitor, path);
            if (typeof ci === "number")
              i = ci - 1;
            else if (ci === BREAK)
              return BREAK;
            else if (ci === REMOVE) {
              node.items.splice(i, 1);
              i -= 1;
            }
          }
        } else if (identity.isPair(node)) {
          path = Object.freeze(path.concat(node));
          const ck = visit_("key", node.key, visitor, path);
          if (ck === BREAK)
            return BREAK;
          else if (ck === REMOVE)
            node.key = null;
          const cv = visit_("value", node.value, visitor, path);
          if (cv === BREAK)
            return BREAK;
          else if (cv === REMOVE)
            node.value = null;
        }
      }
      return ctrl;
    }
    async function visitAsync(node, visitor) {
      const visitor_ = initVisitor(visitor);
      if (identity.isDocument(node)) {
        const cd = await visitAsync_(null, node.contents, visitor_, Object.freeze([node]));
        if (cd === REMOVE)
          node.contents = null;
      } else
        await visitAsync_(null, node, visitor_, Object.freeze([]));
    }
    visitAsync.BREAK = BREAK;
    visitAsync.SKIP = SKIP;
    visitAsync.REMOVE = REMOVE;
    async function visitAsync_(key, node, visitor, path) {
      const ctrl = await callVisitor(key, node, visitor, path);
      if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
        replaceNode(key, path, ctrl);
        return visitAsync_(key, ctrl, visitor, path);
      }
      if (typeof ctrl !== "symbol") {
        if (identity.isCollection(node)) {
          path = Object.freeze(path.concat(node));
          for (let i = 0; i < node.items.length; ++i) {
            const ci = await visitAsync_(i, node.items[i], visitor, path);
            if (typeof ci === "number")
              i = ci - 1;
            else if (ci === BREAK)
              return BREAK;
            else if (ci === REMOVE) {
              node.items.splice(i, 1);
              i -= 1;
            }
          }
        } else if (identity.isPair(node)) {
          path = Object.freeze(path.concat(node));
          const ck = await visitAsync_("key", node.key, visitor, path);
          if (ck === BREAK)
            return BREAK;
          else if (ck === REMOVE)
            node.key = null;
          const cv = await visitAsync_("value", node.value, visitor, path);
          if (cv === BREAK)
            return BREAK;
          else if (cv === REMOVE)
            node.value = null;
        }
      }
      return ctrl;
    }
    function initVisitor(visitor) {
      if (typeof visitor === "object" && (visitor.Collection || visitor.Node || visitor.Value)) {
        return Object.assign({
          Alias: visitor.Node,
          Map: visitor.Node,
          Scalar: visitor.Node,
          Seq: visitor.Node
        }, visitor.Value && {
          Map: visitor.Value,
          Scalar: visitor.Value,
          Seq: visitor.Value
        }, visitor.Collection && {
          Map: visitor.Collection,
          Seq: visitor.Collection
        }, visitor);
      }
      return visitor;
    }
    function callVisitor(key, node, visitor, path) {
      if (typeof visitor === "function")
        return visitor(key, node, path);
      if (identity.isMap(node))
        return visitor.Map?.(key, node, path);
      if (identity.isSeq(node))
        return visitor.Seq?.(key, node, path);
      if (identity.isPair(node))
        return visitor.Pair?.(key, node, path);
      if (identity.isScalar(node))
        return visitor.Scalar?.(key, node, path);
      if (identity.isAlias(node))
        return visitor.Alias?.(key, node, path);
      return void 0;
    }
    function replaceNode(key, path, node) {
      const parent = path[path.length - 1];
      if (identity.isCollection(parent)) {
        parent.items[key] = node;
      } else if (identity.isPair(parent)) {
        if (key === "key")
          parent.key = node;
        else
          parent.value = node;
      } else if (identity.isDocument(parent)) {
        parent.contents = node;
      } else {
        const pt = identity.isAlias(parent) ? "alias" : "scalar";
        throw new Error(`Cannot replace node with ${pt} parent`);
      }
    }
    exports.visit = visit2;
    exports.visitAsync = visitAsync;
  }
});

// node_modules/yaml/dist/doc/directives.js
var require_directives = __commonJS({
  "node_modules/yaml/dist/doc/directives.js"(exports) {
    "use strict";
    var identity = require_identity();
    var visit2 = require_visit();
    var escapeChars = {
      "!": "%21",
      ",": "%2C",
      "[": "%5B",
      "]": "%5D",
      "{": "%7B",
      "}": "%7D"
    };
    var escapeTagName = (tn) => tn.replace(/[!,[\]{}]/g, (ch) => escapeChars[ch]);
    var Directives = class _Directives {
      constructor(yaml, tags) {
        this.docStart = null;
        this.docEnd = false;
        this.yaml = Object.assign({}, _Directives.defaultYaml, yaml);
        this.tags = Object.assign({}, _Directives.defaultTags, tags);
      }
      clone() {
        const copy = new _Directives(this.yaml, this.tags);
        copy.docStart = this.docStart;
        return copy;
      }
      /**
       * During parsing, get a Directives instance for the current document and
       * update the stream state according to the current version's spec.
       */
      atDocument() {
        const res = new _Directives(this.yaml, this.tags);
        switch (this.yaml.version) {
          case "1.1":
            this.atNextDocument = true;
            break;
          case "1.2":
            this.atNextDocument = false;
            this.yaml = {
              explicit: _Directives.defaultYaml.explicit,
              version: "1.2"
            };
            this.tags = Object.assign({}, _Directives.defaultTags);
            break;
        }
        return res;
      }
      /**
       * @param onError - May be called even if the action was successful
       * @returns `true` on success
       */
      add(line, onError) {
        if (this.atNextDocument) {
          this.yaml = { explicit: _Directives.defaultYaml.explicit, version: "1.1" };
          this.tags = Object.assign({}, _Directives.defaultTags);
          this.atNextDocument = false;
        }
        const parts = line.trim().split(/[ \t]+/);
        const name = parts.shift();
        switch (name) {
          case "%TAG": {
            if (parts.length !== 2) {
              onError(0, "%TAG directive should contain exactly two parts");
              if (parts.length < 2)
                return false;
            }
            const [handle, prefix] = parts;
            this.tags[handle] = prefix;
            return true;
          }
          case "%YAML": {
            this.yaml.explicit = true;
            if (parts.length !== 1) {
              onError(0, "%YAML directive should contain exactly one part");
              return false;
            }
            const [version] = parts;
            if (version === "1.1" || version === "1.2") {
              this.yaml.version = version;
              return true;
            } else {
              const isValid = /^\d+\.\d+$/.test(version);
              onError(6, `Unsupported YAML version ${version}`, isValid);
              return false;
            }
          }
          default:
            onError(0, `Unknown directive ${name}`, true);
            return false;
        }
      }
      /**
       * Resolves a tag, matching handles to those defined in %TAG directives.
       *
       * @returns Resolved tag, which may also be the non-specific tag `'!'` or a
       *   `'!local'` tag, or `null` if unresolvable.
       */
      tagName(source, onError) {
        if (source === "!")
          return "!";
        if (source[0] !== "!") {
          onError(`Not a valid tag: ${source}`);
          return null;
        }
        if (source[1] === "<") {
          const verbatim = source.slice(2, -1);
          if (verbatim === "!" || verbatim === "!!") {
            onError(`Verbatim tags aren't resolved, so ${source} is invalid.`);
            return null;
          }
          if (source[source.length - 1] !== ">")
            onError("Verbatim tags must end with a >");
          return verbatim;
        }
        const [, handle, suffix] = source.match(/^(.*!)([^!]*)$/s);
        if (!suffix)
          onError(`The ${source} tag has no suffix`);
        const prefix = this.tags[handle];
        if (prefix) {
          try {
            return prefix + decodeURIComponent(suffix);
          } catch (error) {
            onError(String(error));
            return null;
          }
        }
        if (handle === "!")
          return source;
        onError(`Could not resolve tag: ${source}`);
        return null;
      }
      /**
       * Given a fully resolved tag, returns its printable string form,
       * taking into account current tag prefixes and defaults.
       */
      tagString(tag) {
        for (const [handle, prefix] of Object.entries(this.tags)) {
          if (tag.startsWith(prefix))
            return handle + escapeTagName(tag.substring(prefix.length));
        }
        return tag[0] === "!" ? tag : `!<${tag}>`;
      }
      toString(doc) {
        const lines = this.yaml.explicit ? [`%YAML ${this.yaml.version || "1.2"}`] : [];
        const tagEntries = Object.entries(this.tags);
        let tagNames;
        if (doc && tagEntries.length > 0 && identity.isNode(doc.contents)) {
          const tags = {};
          visit2.visit(doc.contents, (_key, node) => {
            if (identity.isNode(node) && node.tag)
              tags[node.tag] = true;
          });
          tagNames = Object.keys(tags);
        } else
          tagNames = [];
        for (const [handle, prefix] of tagEntries) {
          if (handle === "!!" && prefix === "tag:yaml.org,2002:")
            continue;
          if (!doc || tagNames.some((tn) => tn.startsWith(prefix)))
            lines.push(`%TAG ${handle} ${prefix}`);
        }
        return lines.join("\n");
      }
    };
    Directives.defaultYaml = { explicit: false, version: "1.2" };
    Directives.defaultTags = { "!!": "tag:yaml.org,2002:" };
    exports.Directives = Directives;
  }
});

// node_modules/yaml/dist/doc/anchors.js
var require_anchors = __commonJS({
  "node_modules/yaml/dist/doc/anchors.js"(exports) {
    "use strict";
    var identity = require_identity();
    var visit2 = require_visit();
    function anchorIsValid(anchor) {
      if (/[\x00-\x19\s,[\]{}]/.test(anchor)) {
        const sa = JSON.stringify(anchor);
        const msg = `Anchor must not contain whitespace or control characters: ${sa}`;
        throw new Error(msg);
      }
      return true;
    }
    function anchorNames(root) {
      const anchors = /* @__PURE__ */ new Set();
      visit2.visit(root, {
        Value(_key, node) {
          if (node.anchor)
            anchors.add(node.anchor);
        }
      });
      return anchors;
    }
    function findNewAnchor(prefix, exclude) {
      for (let i = 1; true; ++i) {
        const name = `${prefix}${i}`;
        if (!exclude.has(name))
          return name;
      }
    }
    function createNodeAnchors(doc, prefix) {
      const aliasObjects = [];
      const sourceObjects = /* @__PURE__ */ new Map();
      let prevAnchors = null;
      return {
        onAnchor: (source) => {
          aliasObjects.push(source);
          prevAnchors ?? (prevAnchors = anchorNames(doc));
          const anchor = findNewAnchor(prefix, prevAnchors);
          prevAnchors.add(anchor);
          return anchor;
        },
        /**
         * With circular references, the source node is only resolved after all
         * of its child nodes are. This is why anchors are set only after all of
         * the nodes have been created.
         */
        setAnchors: () => {
          for (const source of aliasObjects) {
            const ref = sourceObjects.get(source);
            if (typeof ref === "object" && ref.anchor && (identity.isScalar(ref.node) || identity.isCollection(ref.node))) {
              ref.node.anchor = ref.anchor;
            } else {
              const error = new Error("Failed to resolve repeated object (this should not happen)");
              error.source = source;
              throw error;
            }
          }
        },
        sourceObjects
      };
    }
    exports.anchorIsValid = anchorIsValid;
    exports.anchorNames = anchorNames;
    exports.createNodeAnchors = createNodeAnchors;
    exports.findNewAnchor = findNewAnchor;
  }
});

// node_modules/yaml/dist/doc/applyReviver.js
var require_applyReviver = __commonJS({
  "node_modules/yaml/dist/doc/applyReviver.js"(exports) {
    "use strict";
    function applyReviver(reviver, obj, key, val) {
      if (val && typeof val === "object") {
        if (Array.isArray(val)) {
          for (let i = 0, len = val.length; i < len; ++i) {
            const v0 = val[i];
            const v1 = applyReviver(reviver, val, String(i), v0);
            if (v1 === void 0)
              delete val[i];
            else if (v1 !== v0)
              val[i] = v1;
          }
        } else if (val instanceof Map) {
          for (const k of Array.from(val.keys())) {
            const v0 = val.get(k);
            const v1 = applyReviver(reviver, val, k, v0);
            if (v1 === void 0)
              val.delete(k);
            else if (v1 !== v0)
              val.set(k, v1);
          }
        } else if (val instanceof Set) {
          for (const v0 of Array.from(val)) {
            const v1 = applyReviver(reviver, val, v0, v0);
            if (v1 === void 0)
              val.delete(v0);
            else if (v1 !== v0) {
              val.delete(v0);
              val.add(v1);
            }
          }
        } else {
          for (const [k, v0] of Object.entries(val)) {
            const v1 = applyReviver(reviver, val, k, v0);
            if (v1 === void 0)
              delete val[k];
            else if (v1 !== v0)
              val[k] = v1;
          }
        }
      }
      return reviver.call(obj, key, val);
    }
    exports.applyReviver = applyReviver;
  }
});

// node_modules/yaml/dist/nodes/toJS.js
var require_toJS = __commonJS({
  "node_modules/yaml/dist/nodes/toJS.js"(exports) {
    "use strict";
    var identity = require_identity();
    function toJS(value, arg, ctx) {
      if (Array.isArray(value))
        return value.map((v, i) => toJS(v, String(i), ctx));
      if (value && typeof value.toJSON === "function") {
        if (!ctx || !identity.hasAnchor(value))
          return value.toJSON(arg, ctx);
        const data = { aliasCount: 0, count: 1, res: void 0 };
        ctx.anchors.set(value, data);
        ctx.onCreate = (res2) => {
          data.res = res2;
          delete ctx.onCreate;
        };
        const res = value.toJSON(arg, ctx);
        if (ctx.onCreate)
          ctx.onCreate(res);
        return res;
      }
      if (typeof value === "bigint" && !ctx?.keep)
        return Number(value);
      return value;
    }
    exports.toJS = toJS;
  }
});

// node_modules/yaml/dist/nodes/Node.js
var require_Node = __commonJS({
  "node_modules/yaml/dist/nodes/Node.js"(exports) {
    "use strict";
    var applyReviver = require_applyReviver();
    var identity = require_identity();
    var toJS = require_toJS();
    var NodeBase = class {
      constructor(type) {
        Object.defineProperty(this, identity.NODE_TYPE, { value: type });
      }
      /** Create a copy of this node.  */
      clone() {
        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
        if (this.range)
          copy.range = this.range.slice();
        return copy;
      }
      /** A plain JavaScript representation of this node. */
      toJS(doc, { mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
        if (!identity.isDocument(doc))
          throw new TypeError("A document argument is required");
        const ctx = {
          anchors: /* @__PURE__ */ new Map(),
          doc,
          keep: true,
          mapAsMap: mapAsMap === true,
          mapKeyWarned: false,
          maxAliasCount: typeof maxAliasCount === "number" ? maxAliasCount : 100
        };
        const res = toJS.toJS(this, "", ctx);
        if (typeof onAnchor === "function")
          for (const { count, res: res2 } of ctx.anchors.values())
            onAnchor(res2, count);
        return typeof reviver === "function" ? applyReviver.applyReviver(reviver, { "": res }, "", res) : res;
      }
    };
    exports.NodeBase = NodeBase;
  }
});

// node_modules/yaml/dist/nodes/Alias.js
var require_Alias = __commonJS({
  "node_modules/yaml/dist/nodes/Alias.js"(exports) {
    "use strict";
    var anchors = require_anchors();
    var visit2 = require_visit();
    var identity = require_identity();
    var Node = require_Node();
    var toJS = require_toJS();
    var Alias = class extends Node.NodeBase {
      constructor(source) {
        super(identity.ALIAS);
        this.source = source;
        Object.defineProperty(this, "tag", {
          set() {
            throw new Error("Alias nodes cannot have tags");
          }
        });
      }
      /**
       * Resolve the value of this alias within `doc`, finding the last
       * instance of the `source` anchor before this node.
       */
      resolve(doc, ctx) {
        if (ctx?.maxAliasCount === 0)
          throw new ReferenceError("Alias resolution is disabled");
        let nodes;
        if (ctx?.aliasResolveCache) {
          nodes = ctx.aliasResolveCache;
        } else {
          nodes = [];
          visit2.visit(doc, {
            Node: (_key, node) => {
              if (identity.isAlias(node) || identity.hasAnchor(node))
                nodes.push(node);
            }
          });
          if (ctx)
            ctx.aliasResolveCache = nodes;
        }
        let found = void 0;
        for (const node of nodes) {
          if (node === this)
            break;
          if (node.anchor === this.source)
            found = node;
        }
        if (found && ctx) {
          const { anchors: anchors2, doc: doc2, maxAliasCount } = ctx;
          let data = anchors2.get(found);
          if (!data) {
            toJS.toJS(found, null, ctx);
            data = anchors2.get(found);
          }
          if (data?.res === void 0) {
            const msg = "This should not happen: Alias anchor was not resolved?";
            throw new ReferenceError(msg);
          }
          if (maxAliasCount >= 0) {
            data.count += 1;
            if (data.aliasCount === 0)
              data.aliasCount = getAliasCount(doc2, found, anchors2);
            if (data.count * data.aliasCount > maxAliasCount) {
              const msg = "Excessive alias count indicates a resource exhaustion attack";
              throw new ReferenceError(msg);
            }
          }
        }
        return found;
      }
      toJSON(_arg, ctx) {
        if (!ctx)
          return { source: this.source };
        const source = this.resolve(ctx.doc, ctx);
        if (!source) {
          const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
          throw new ReferenceError(msg);
        }
        return ctx.anchors.get(source).res;
      }
      toString(ctx, _onComment, _onChompKeep) {
        const src = `*${this.source}`;
        if (ctx) {
          anchors.anchorIsValid(this.source);
          if (ctx.options.verifyAliasOrder && !ctx.anchors.has(this.source)) {
            const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
            throw new Error(msg);
          }
          if (ctx.implicitKey)
            return `${src} `;
        }
        return src;
      }
    };
    function getAliasCount(doc, node, anchors2) {
      if (identity.isAlias(node)) {
        const source = node.resolve(doc);
        const anchor = anchors2 && source && anchors2.get(source);
        return anchor ? anchor.count * anchor.aliasCount : 0;
      } else if (identity.isCollection(node)) {
        let count = 0;
        for (const item of node.items) {
          const c = getAliasCount(doc, item, anchors2);
          if (c > count)
            count = c;
        }
        return count;
      } else if (identity.isPair(node)) {
        const kc = getAliasCount(doc, node.key, anchors2);
        const vc = getAliasCount(doc, node.value, anchors2);
        return Math.max(kc, vc);
      }
      return 1;
    }
    exports.Alias = Alias;
  }
});

// node_modules/yaml/dist/nodes/Scalar.js
var require_Scalar = __commonJS({
  "node_modules/yaml/dist/nodes/Scalar.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Node = require_Node();
    var toJS = require_toJS();
    var isScalarValue = (value) => !value || typeof value !== "function" && typeof value !== "object";
    var Scalar2 = class extends Node.NodeBase {
      constructor(value) {
        super(identity.SCALAR);
        this.value = value;
      }
      toJSON(arg, ctx) {
        return ctx?.keep ? this.value : toJS.toJS(this.value, arg, ctx);
      }
      toString() {
        return String(this.value);
      }
    };
    Scalar2.BLOCK_FOLDED = "BLOCK_FOLDED";
    Scalar2.BLOCK_LITERAL = "BLOCK_LITERAL";
    Scalar2.PLAIN = "PLAIN";
    Scalar2.QUOTE_DOUBLE = "QUOTE_DOUBLE";
    Scalar2.QUOTE_SINGLE = "QUOTE_SINGLE";
    exports.Scalar = Scalar2;
    exports.isScalarValue = isScalarValue;
  }
});

// node_modules/yaml/dist/doc/createNode.js
var require_createNode = __commonJS({
  "node_modules/yaml/dist/doc/createNode.js"(exports) {
    "use strict";
    var Alias = require_Alias();
    var identity = require_identity();
    var Scalar2 = require_Scalar();
    var defaultTagPrefix = "tag:yaml.org,2002:";
    function findTagObject(value, tagName, tags) {
      if (tagName) {
        const match = tags.filter((t) => t.tag === tagName);
        const tagObj = match.find((t) => !t.format) ?? match[0];
        if (!tagObj)
          throw new Error(`Tag ${tagName} not found`);
        return tagObj;
      }
      return tags.find((t) => t.identify?.(value) && !t.format);
    }
    function createNode(value, tagName, ctx) {
      if (identity.isDocument(value))
        value = value.contents;
      if (identity.isNode(value))
        return value;
      if (identity.isPair(value)) {
        const map = ctx.schema[identity.MAP].createNode?.(ctx.schema, null, ctx);
        map.items.push(value);
        return map;
      }
      if (value instanceof String || value instanceof Number || value instanceof Boolean || typeof BigInt !== "undefined" && value instanceof BigInt) {
        value = value.valueOf();
      }
      const { aliasDuplicateObjects, onAnchor, onTagObj, schema, sourceObjects } = ctx;
      let ref = void 0;
      if (aliasDuplicateObjects && value && typeof value === "object") {
        ref = sourceObjects.get(value);
        if (ref) {
          ref.anchor ?? (ref.anchor = onAnchor(value));
          return new Alias.Alias(ref.anchor);
        } else {
          ref = { anchor: null, node: null };
          sourceObjects.set(value, ref);
        }
      }
      if (tagName?.startsWith("!!"))
        tagName = defaultTagPrefix + tagName.slice(2);
      let tagObj = findTagObject(value, tagName, schema.tags);
      if (!tagObj) {
        if (value && typeof value.toJSON === "function") {
          value = value.toJSON();
        }
        if (!value || typeof value !== "object") {
          const node2 = new Scalar2.Scalar(value);
          if (ref)
            ref.node = node2;
          return node2;
        }
        tagObj = value instanceof Map ? schema[identity.MAP] : Symbol.iterator in Object(value) ? schema[identity.SEQ] : schema[identity.MAP];
      }
      if (onTagObj) {
        onTagObj(tagObj);
        delete ctx.onTagObj;
      }
      const node = tagObj?.createNode ? tagObj.createNode(ctx.schema, value, ctx) : typeof tagObj?.nodeClass?.from === "function" ? tagObj.nodeClass.from(ctx.schema, value, ctx) : new Scalar2.Scalar(value);
      if (tagName)
        node.tag = tagName;
      else if (!tagObj.default)
        node.tag = tagObj.tag;
      if (ref)
        ref.node = node;
      return node;
    }
    exports.createNode = createNode;
  }
});

// node_modules/yaml/dist/nodes/Collection.js
var require_Collection = __commonJS({
  "node_modules/yaml/dist/nodes/Collection.js"(exports) {
    "use strict";
    var createNode = require_createNode();
    var identity = require_identity();
    var Node = require_Node();
    function collectionFromPath(schema, path, value) {
      let v = value;
      for (let i = path.length - 1; i >= 0; --i) {
        const k = path[i];
        if (typeof k === "number" && Number.isInteger(k) && k >= 0) {
          const a = [];
          a[k] = v;
          v = a;
        } else {
          v = /* @__PURE__ */ new Map([[k, v]]);
        }
      }
      return createNode.createNode(v, void 0, {
        aliasDuplicateObjects: false,
        keepUndefined: false,
        onAnchor: () => {
          throw new Error("This should not happen, please report a bug.");
        },
        schema,
        sourceObjects: /* @__PURE__ */ new Map()
      });
    }
    var isEmptyPath = (path) => path == null || typeof path === "object" && !!path[Symbol.iterator]().next().done;
    var Collection = class extends Node.NodeBase {
      constructor(type, schema) {
        super(type);
        Object.defineProperty(this, "schema", {
          value: schema,
          configurable: true,
          enumerable: false,
          writable: true
        });
      }
      /**
       * Create a copy of this collection.
       *
       * @param schema - If defined, overwrites the original's schema
       */
      clone(schema) {
        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
        if (schema)
          copy.schema = schema;
        copy.items = copy.items.map((it) => identity.isNode(it) || identity.isPair(it) ? it.clone(schema) : it);
        if (this.range)
          copy.range = this.range.slice();
        return copy;
      }
      /**
       * Adds a value to the collection. For `!!map` and `!!omap` the value must
       * be a Pair instance or a `{ key, value }` object, which may not have a key
       * that already exists in the map.
       */
      addIn(path, value) {
        if (isEmptyPath(path))
          this.add(value);
        else {
          const [key, ...rest] = path;
          const node = this.get(key, true);
          if (identity.isCollection(node))
            node.addIn(rest, value);
          else if (node === void 0 && this.schema)
            this.set(key, collectionFromPath(this.schema, rest, value));
          else
            throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
        }
      }
      /**
       * Removes a value from the collection.
       * @returns `true` if the item was found and removed.
       */
      deleteIn(path) {
        const [key, ...rest] = path;
        if (rest.length === 0)
          return this.delete(key);
        const node = this.get(key, true);
        if (identity.isCollection(node))
          return node.deleteIn(rest);
        else
          throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
      }
      /**
       * Returns item at `key`, or `undefined` if not found. By default unwraps
       * scalar values from their surrounding node; to disable set `keepScalar` to
       * `true` (collections are always returned intact).
       */
      getIn(path, keepScalar) {
        const [key, ...rest] = path;
        const node = this.get(key, true);
        if (rest.length === 0)
          return !keepScalar && identity.isScalar(node) ? node.value : node;
        else
          return identity.isCollection(node) ? node.getIn(rest, keepScalar) : void 0;
      }
      hasAllNullValues(allowScalar) {
        return this.items.every((node) => {
          if (!identity.isPair(node))
            return false;
          const n = node.value;
          return n == null || allowScalar && identity.isScalar(n) && n.value == null && !n.commentBefore && !n.comment && !n.tag;
        });
      }
      /**
       * Checks if the collection includes a value with the key `key`.
       */
      hasIn(path) {
        const [key, ...rest] = path;
        if (rest.length === 0)
          return this.has(key);
        const node = this.get(key, true);
        return identity.isCollection(node) ? node.hasIn(rest) : false;
      }
      /**
       * Sets a value in this collection. For `!!set`, `value` needs to be a
       * boolean to add/remove the item from the set.
       */
      setIn(path, value) {
        const [key, ...rest] = path;
        if (rest.length === 0) {
          this.set(key, value);
        } else {
          const node = this.get(key, true);
          if (identity.isCollection(node))
            node.setIn(rest, value);
          else if (node === void 0 && this.schema)
            this.set(key, collectionFromPath(this.schema, rest, value));
          else
            throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
        }
      }
    };
    exports.Collection = Collection;
    exports.collectionFromPath = collectionFromPath;
    exports.isEmptyPath = isEmptyPath;
  }
});

// node_modules/yaml/dist/stringify/stringifyComment.js
var require_stringifyComment = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyComment.js"(exports) {
    "use strict";
    var stringifyComment = (str) => str.replace(/^(?!$)(?: $)?/gm, "#");
    function indentComment(comment, indent) {
      if (/^\n+$/.test(comment))
        return comment.substring(1);
      return indent ? comment.replace(/^(?! *$)/gm, indent) : comment;
    }
    var lineComment = (str, indent, comment) => str.endsWith("\n") ? indentComment(comment, indent) : comment.includes("\n") ? "\n" + indentComment(comment, indent) : (str.endsWith(" ") ? "" : " ") + comment;
    exports.indentComment = indentComment;
    exports.lineComment = lineComment;
    exports.stringifyComment = stringifyComment;
  }
});

// node_modules/yaml/dist/stringify/foldFlowLines.js
var require_foldFlowLines = __commonJS({
  "node_modules/yaml/dist/stringify/foldFlowLines.js"(exports) {
    "use strict";
    var FOLD_FLOW = "flow";
    var FOLD_BLOCK = "block";
    var FOLD_QUOTED = "quoted";
    function foldFlowLines(text, indent, mode = "flow", { indentAtStart, lineWidth = 80, minContentWidth = 20, onFold, onOverflow } = {}) {
      if (!lineWidth || lineWidth < 0)
        return text;
      if (lineWidth < minContentWidth)
        minContentWidth = 0;
      const endStep = Math.max(1 + minContentWidth, 1 + lineWidth - indent.length);
      if (text.length <= endStep)
        return text;
      const folds = [];
      const escapedFolds = {};
      let end = lineWidth - indent.length;
      if (typeof indentAtStart === "number") {
        if (indentAtStart > lineWidth - Math.max(2, minContentWidth))
          folds.push(0);
        else
          end = lineWidth - indentAtStart;
      }
      let split = void 0;
      let prev = void 0;
      let overflow = false;
      let i = -1;
      let escStart = -1;
      let escEnd = -1;
      if (mode === FOLD_BLOCK) {
        i = consumeMoreIndentedLines(text, i, indent.length);
        if (i !== -1)
          end = i + endStep;
      }
      for (let ch; ch = text[i += 1]; ) {
        if (mode === FOLD_QUOTED && ch === "\\") {
          escStart = i;
          switch (text[i + 1]) {
            case "x":
              i += 3;
              break;
            case "u":
              i += 5;
              break;
            case "U":
              i += 9;
              break;
            default:
              i += 1;
          }
          escEnd = i;
        }
        if (ch === "\n") {
          if (mode === FOLD_BLOCK)
            i = consumeMoreIndentedLines(text, i, indent.length);
          end = i + indent.length + endStep;
          split = void 0;
        } else {
          if (ch === " " && prev && prev !== " " && prev !== "\n" && prev !== "	") {
            const next = text[i + 1];
            if (next && next !== " " && next !== "\n" && next !== "	")
              split = i;
          }
          if (i >= end) {
            if (split) {
              folds.push(split);
              end = split + endStep;
              split = void 0;
            } else if (mode === FOLD_QUOTED) {
              while (prev === " " || prev === "	") {
                prev = ch;
                ch = text[i += 1];
                overflow = true;
              }
              const j = i > escEnd + 1 ? i - 2 : escStart - 1;
              if (escapedFolds[j])
                return text;
              folds.push(j);
              escapedFolds[j] = true;
              end = j + endStep;
              split = void 0;
            } else {
              overflow = true;
            }
          }
        }
        prev = ch;
      }
      if (overflow && onOverflow)
        onOverflow();
      if (folds.length === 0)
        return text;
      if (onFold)
        onFold();
      let res = text.slice(0, folds[0]);
      for (let i2 = 0; i2 < folds.length; ++i2) {
        const fold = folds[i2];
        const end2 = folds[i2 + 1] || text.length;
        if (fold === 0)
          res = `
${indent}${text.slice(0, end2)}`;
        else {
          if (mode === FOLD_QUOTED && escapedFolds[fold])
            res += `${text[fold]}\\`;
          res += `
${indent}${text.slice(fold + 1, end2)}`;
        }
      }
      return res;
    }
    function consumeMoreIndentedLines(text, i, indent) {
      let end = i;
      let start = i + 1;
      let ch = text[start];
      while (ch === " " || ch === "	") {
        if (i < start + indent) {
          ch = text[++i];
        } else {
          do {
            ch = text[++i];
          } while (ch && ch !== "\n");
          end = i;
          start = i + 1;
          ch = text[start];
        }
      }
      return end;
    }
    exports.FOLD_BLOCK = FOLD_BLOCK;
    exports.FOLD_FLOW = FOLD_FLOW;
    exports.FOLD_QUOTED = FOLD_QUOTED;
    exports.foldFlowLines = foldFlowLines;
  }
});

// node_modules/yaml/dist/stringify/stringifyString.js
var require_stringifyString = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyString.js"(exports) {
    "use strict";
    var Scalar2 = require_Scalar();
    var foldFlowLines = require_foldFlowLines();
    var getFoldOptions = (ctx, isBlock) => ({
      indentAtStart: isBlock ? ctx.indent.length : ctx.indentAtStart,
      lineWidth: ctx.options.lineWidth,
      minContentWidth: ctx.options.minContentWidth
    });
    var containsDocumentMarker = (str) => /^(%|---|\.\.\.)/m.test(str);
    function lineLengthOverLimit(str, lineWidth, indentLength) {
      if (!lineWidth || lineWidth < 0)
        return false;
      const limit = lineWidth - indentLength;
      const strLen = str.length;
      if (strLen <= limit)
        return false;
      for (let i = 0, start = 0; i < strLen; ++i) {
        if (str[i] === "\n") {
          if (i - start > limit)
            return true;
          start = i + 1;
          if (strLen - start <= limit)
            return false;
        }
      }
      return true;
    }
    function doubleQuotedString(value, ctx) {
      const json = JSON.stringify(value);
      if (ctx.options.doubleQuotedAsJSON)
        return json;
      const { implicitKey } = ctx;
      const minMultiLineLength = ctx.options.doubleQuotedMinMultiLineLength;
      const indent = ctx.indent || (containsDocumentMarker(value) ? "  " : "");
      let str = "";
      let start = 0;
      for (let i = 0, ch = json[i]; ch; ch = json[++i]) {
        if (ch === " " && json[i + 1] === "\\" && json[i + 2] === "n") {
          str += json.slice(start, i) + "\\ ";
          i += 1;
          start = i;
          ch = "\\";
        }
        if (ch === "\\")
          switch (json[i + 1]) {
            case "u":
              {
                str += json.slice(start, i);
                const code2 = json.substr(i + 2, 4);
                switch (code2) {
                  case "0000":
                    str += "\\0";
                    break;
                  case "0007":
                    str += "\\a";
                    break;
                  case "000b":
                    str += "\\v";
                    break;
                  case "001b":
                    str += "\\e";
                    break;
                  case "0085":
                    str += "\\N";
                    break;
                  case "00a0":
                    str += "\\_";
                    break;
                  case "2028":
                    str += "\\L";
                    break;
                  case "2029":
                    str += "\\P";
                    break;
                  default:
                    if (code2.substr(0, 2) === "00")
                      str += "\\x" + code2.substr(2);
                    else
                      str += json.substr(i, 6);
                }
                i += 5;
                start = i + 1;
              }
              break;
            case "n":
              if (implicitKey || json[i + 2] === '"' || json.length < minMultiLineLength) {
                i += 1;
              } else {
                str += json.slice(start, i) + "\n\n";
                while (json[i + 2] === "\\" && json[i + 3] === "n" && json[i + 4] !== '"') {
                  str += "\n";
                  i += 2;
                }
                str += indent;
                if (json[i + 2] === " ")
                  str += "\\";
                i += 1;
                start = i + 1;
              }
              break;
            default:
              i += 1;
          }
      }
      str = start ? str + json.slice(start) : json;
      return implicitKey ? str : foldFlowLines.foldFlowLines(str, indent, foldFlowLines.FOLD_QUOTED, getFoldOptions(ctx, false));
    }
    function singleQuotedString(value, ctx) {
      if (ctx.options.singleQuote === false || ctx.implicitKey && value.includes("\n") || /[ \t]\n|\n[ \t]/.test(value))
        return doubleQuotedString(value, ctx);
      const indent = ctx.indent || (containsDocumentMarker(value) ? "  " : "");
      const res = "'" + value.replace(/'/g, "''").replace(/\n+/g, `$&
${indent}`) + "'";
      return ctx.implicitKey ? res : foldFlowLines.foldFlowLines(res, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
    }
    function quotedString(value, ctx) {
      const { singleQuote } = ctx.options;
      let qs;
      if (singleQuote === false)
        qs = doubleQuotedString;
      else {
        const hasDouble = value.includes('"');
        const hasSingle = value.includes("'");
        if (hasDouble && !hasSingle)
          qs = singleQuotedString;
        else if (hasSingle && !hasDouble)
          qs = doubleQuotedString;
        else
          qs = singleQuote ? singleQuotedString : doubleQuotedString;
      }
      return qs(value, ctx);
    }
    var blockEndNewlines;
    try {
      blockEndNewlines = new RegExp("(^|(?<!\n))\n+(?!\n|$)", "g");
    } catch {
      blockEndNewlines = /\n+(?!\n|$)/g;
    }
    function blockString({ comment, type, value }, ctx, onComment, onChompKeep) {
      const { blockQuote, commentString, lineWidth } = ctx.options;
      if (!blockQuote || /\n[\t ]+$/.test(value)) {
        return quotedString(value, ctx);
      }
      const indent = ctx.indent || (ctx.forceBlockIndent || containsDocumentMarker(value) ? "  " : "");
      const literal = blockQuote === "literal" ? true : blockQuote === "folded" || type === Scalar2.Scalar.BLOCK_FOLDED ? false : type === Scalar2.Scalar.BLOCK_LITERAL ? true : !lineLengthOverLimit(value, lineWidth, indent.length);
      if (!value)
        return literal ? "|\n" : ">\n";
      let chomp;
      let endStart;
      for (endStart = value.length; endStart > 0; --endStart) {
        const ch = value[endStart - 1];
        if (ch !== "\n" && ch !== "	" && ch !== " ")
          break;
      }
      let end = value.substring(endStart);
      const endNlPos = end.indexOf("\n");
      if (endNlPos === -1) {
        chomp = "-";
      } else if (value === end || endNlPos !== end.length - 1) {
        chomp = "+";
        if (onChompKeep)
          onChompKeep();
      } else {
        chomp = "";
      }
      if (end) {
        value = value.slice(0, -end.length);
        if (end[end.length - 1] === "\n")
          end = end.slice(0, -1);
        end = end.replace(blockEndNewlines, `$&${indent}`);
      }
      let startWithSpace = false;
      let startEnd;
      let startNlPos = -1;
      for (startEnd = 0; startEnd < value.length; ++startEnd) {
        const ch = value[startEnd];
        if (ch === " ")
          startWithSpace = true;
        else if (ch === "\n")
          startNlPos = startEnd;
        else
          break;
      }
      let start = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
      if (start) {
        value = value.substring(start.length);
        start = start.replace(/\n+/g, `$&${indent}`);
      }
      const indentSize = indent ? "2" : "1";
      let header = (startWithSpace ? indentSize : "") + chomp;
      if (comment) {
        header += " " + commentString(comment.replace(/ ?[\r\n]+/g, " "));
        if (onComment)
          onComment();
      }
      if (!literal) {
        const foldedValue = value.replace(/\n+/g, "\n$&").replace(/(?:^|\n)([\t ].*)(?:([\n\t ]*)\n(?![\n\t ]))?/g, "$1$2").replace(/\n+/g, `$&${indent}`);
        let literalFallback = false;
        const foldOptions = getFoldOptions(ctx, true);
        if (blockQuote !== "folded" && type !== Scalar2.Scalar.BLOCK_FOLDED) {
          foldOptions.onOverflow = () => {
            literalFallback = true;
          };
        }
        const body = foldFlowLines.foldFlowLines(`${start}${foldedValue}${end}`, indent, foldFlowLines.FOLD_BLOCK, foldOptions);
        if (!literalFallback)
          return `>${header}
${indent}${body}`;
      }
      value = value.replace(/\n+/g, `$&${indent}`);
      return `|${header}
${indent}${start}${value}${end}`;
    }
    function plainString(item, ctx, onComment, onChompKeep) {
      const { type, value } = item;
      const { actualString, implicitKey, indent, indentStep, inFlow } = ctx;
      if (implicitKey && value.includes("\n") || inFlow && /[[\]{},]/.test(value)) {
        return quotedString(value, ctx);
      }
      if (/^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/.test(value)) {
        return implicitKey || inFlow || !value.includes("\n") ? quotedString(value, ctx) : blockString(item, ctx, onComment, onChompKeep);
      }
      if (!implicitKey && !inFlow && type !== Scalar2.Scalar.PLAIN && value.includes("\n")) {
        return blockString(item, ctx, onComment, onChompKeep);
      }
      if (containsDocumentMarker(value)) {
        if (indent === "") {
          ctx.forceBlockIndent = true;
          return blockString(item, ctx, onComment, onChompKeep);
        } else if (implicitKey && indent === indentStep) {
          return quotedString(value, ctx);
        }
      }
      const str = value.replace(/\n+/g, `$&
${indent}`);
      if (actualString) {
        const test = (tag) => tag.default && tag.tag !== "tag:yaml.org,2002:str" && tag.test?.test(str);
        const { compat, tags } = ctx.doc.schema;
        if (tags.some(test) || compat?.some(test))
          return quotedString(value, ctx);
      }
      return implicitKey ? str : foldFlowLines.foldFlowLines(str, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
    }
    function stringifyString(item, ctx, onComment, onChompKeep) {
      const { implicitKey, inFlow } = ctx;
      const ss = typeof item.value === "string" ? item : Object.assign({}, item, { value: String(item.value) });
      let { type } = item;
      if (type !== Scalar2.Scalar.QUOTE_DOUBLE) {
        if (/[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u.test(ss.value))
          type = Scalar2.Scalar.QUOTE_DOUBLE;
      }
      const _stringify = (_type) => {
        switch (_type) {
          case Scalar2.Scalar.BLOCK_FOLDED:
          case Scalar2.Scalar.BLOCK_LITERAL:
            return implicitKey || inFlow ? quotedString(ss.value, ctx) : blockString(ss, ctx, onComment, onChompKeep);
          case Scalar2.Scalar.QUOTE_DOUBLE:
            return doubleQuotedString(ss.value, ctx);
          case Scalar2.Scalar.QUOTE_SINGLE:
            return singleQuotedString(ss.value, ctx);
          case Scalar2.Scalar.PLAIN:
            return plainString(ss, ctx, onComment, onChompKeep);
          default:
            return null;
        }
      };
      let res = _stringify(type);
      if (res === null) {
        const { defaultKeyType, defaultStringType } = ctx.options;
        const t = implicitKey && defaultKeyType || defaultStringType;
        res = _stringify(t);
        if (res === null)
          throw new Error(`Unsupported default string type ${t}`);
      }
      return res;
    }
    exports.stringifyString = stringifyString;
  }
});

// node_modules/yaml/dist/stringify/stringify.js
var require_stringify = __commonJS({
  "node_modules/yaml/dist/stringify/stringify.js"(exports) {
    "use strict";
    var anchors = require_anchors();
    var identity = require_identity();
    var stringifyComment = require_stringifyComment();
    var stringifyString = require_stringifyString();
    function createStringifyContext(doc, options) {
      const opt = Object.assign({
        blockQuote: true,
        commentString: stringifyComment.stringifyComment,
        defaultKeyType: null,
        defaultStringType: "PLAIN",
        directives: null,
        doubleQuotedAsJSON: false,
        doubleQuotedMinMultiLineLength: 40,
        falseStr: "false",
        flowCollectionPadding: true,
        indentSeq: true,
        lineWidth: 80,
        minContentWidth: 20,
        nullStr: "null",
        simpleKeys: false,
        singleQuote: null,
        trailingComma: false,
        trueStr: "true",
        verifyAliasOrder: true
      }, doc.schema.toStringOptions, options);
      let inFlow;
      switch (opt.collectionStyle) {
        case "block":
          inFlow = false;
          break;
        case "flow":
          inFlow = true;
          break;
        default:
          inFlow = null;
      }
      return {
        anchors: /* @__PURE__ */ new Set(),
        doc,
        flowCollectionPadding: opt.flowCollectionPadding ? " " : "",
        indent: "",
        indentStep: typeof opt.indent === "number" ? " ".repeat(opt.indent) : "  ",
        inFlow,
        options: opt
      };
    }
    function getTagObject(tags, item) {
      if (item.tag) {
        const match = tags.filter((t) => t.tag === item.tag);
        if (match.length > 0)
          return match.find((t) => t.format === item.format) ?? match[0];
      }
      let tagObj = void 0;
      let obj;
      if (identity.isScalar(item)) {
        obj = item.value;
        let match = tags.filter((t) => t.identify?.(obj));
        if (match.length > 1) {
          const testMatch = match.filter((t) => t.test);
          if (testMatch.length > 0)
            match = testMatch;
        }
        tagObj = match.find((t) => t.format === item.format) ?? match.find((t) => !t.format);
      } else {
        obj = item;
        tagObj = tags.find((t) => t.nodeClass && obj instanceof t.nodeClass);
      }
      if (!tagObj) {
        const name = obj?.constructor?.name ?? (obj === null ? "null" : typeof obj);
        throw new Error(`Tag not resolved for ${name} value`);
      }
      return tagObj;
    }
    function stringifyProps(node, tagObj, { anchors: anchors$1, doc }) {
      if (!doc.directives)
        return "";
      const props = [];
      const anchor = (identity.isScalar(node) || identity.isCollection(node)) && node.anchor;
      if (anchor && anchors.anchorIsValid(anchor)) {
        anchors$1.add(anchor);
        props.push(`&${anchor}`);
      }
      const tag = node.tag ?? (tagObj.default ? null : tagObj.tag);
      if (tag)
        props.push(doc.directives.tagString(tag));
      return props.join(" ");
    }
    function stringify(item, ctx, onComment, onChompKeep) {
      if (identity.isPair(item))
        return item.toString(ctx, onComment, onChompKeep);
      if (identity.isAlias(item)) {
        if (ctx.doc.directives)
          return item.toString(ctx);
        if (ctx.resolvedAliases?.has(item)) {
          throw new TypeError(`Cannot stringify circular structure without alias nodes`);
        } else {
          if (ctx.resolvedAliases)
            ctx.resolvedAliases.add(item);
          else
            ctx.resolvedAliases = /* @__PURE__ */ new Set([item]);
          item = item.resolve(ctx.doc);
        }
      }
      let tagObj = void 0;
      const node = identity.isNode(item) ? item : ctx.doc.createNode(item, { onTagObj: (o) => tagObj = o });
      tagObj ?? (tagObj = getTagObject(ctx.doc.schema.tags, node));
      const props = stringifyProps(node, tagObj, ctx);
      if (props.length > 0)
        ctx.indentAtStart = (ctx.indentAtStart ?? 0) + props.length + 1;
      const str = typeof tagObj.stringify === "function" ? tagObj.stringify(node, ctx, onComment, onChompKeep) : identity.isScalar(node) ? stringifyString.stringifyString(node, ctx, onComment, onChompKeep) : node.toString(ctx, onComment, onChompKeep);
      if (!props)
        return str;
      return identity.isScalar(node) || str[0] === "{" || str[0] === "[" ? `${props} ${str}` : `${props}
${ctx.indent}${str}`;
    }
    exports.createStringifyContext = createStringifyContext;
    exports.stringify = stringify;
  }
});

// node_modules/yaml/dist/stringify/stringifyPair.js
var require_stringifyPair = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyPair.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Scalar2 = require_Scalar();
    var stringify = require_stringify();
    var stringifyComment = require_stringifyComment();
    function stringifyPair({ key, value }, ctx, onComment, onChompKeep) {
      const { allNullValues, doc, indent, indentStep, options: { commentString, indentSeq, simpleKeys } } = ctx;
      let keyComment = identity.isNode(key) && key.comment || null;
      if (simpleKeys) {
        if (keyComment) {
          throw new Error("With simple keys, key nodes cannot have comments");
        }
        if (identity.isCollection(key) || !identity.isNode(key) && typeof key === "object") {
          const msg = "With simple keys, collection cannot be used as a key value";
          throw new Error(msg);
        }
      }
      let explicitKey = !simpleKeys && (!key || keyComment && value == null && !ctx.inFlow || identity.isCollection(key) || (identity.isScalar(key) ? key.type === Scalar2.Scalar.BLOCK_FOLDED || key.type === Scalar2.Scalar.BLOCK_LITERAL : typeof key === "object"));
      ctx = Object.assign({}, ctx, {
        allNullValues: false,
        implicitKey: !explicitKey && (simpleKeys || !allNullValues),
        indent: indent + indentStep
      });
      let keyCommentDone = false;
      let chompKeep = false;
      let str = stringify.stringify(key, ctx, () => keyCommentDone = true, () => chompKeep = true);
      if (!explicitKey && !ctx.inFlow && str.length > 1024) {
        if (simpleKeys)
          throw new Error("With simple keys, single line scalar must not span more than 1024 characters");
        explicitKey = true;
      }
      if (ctx.inFlow) {
        if (allNullValues || value == null) {
          if (keyCommentDone && onComment)
            onComment();
          return str === "" ? "?" : explicitKey ? `? ${str}` : str;
        }
      } else if (allNullValues && !simpleKeys || value == null && explicitKey) {
        str = `? ${str}`;
        if (keyComment && !keyCommentDone) {
          str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
        } else if (chompKeep && onChompKeep)
          onChompKeep();
        return str;
      }
      if (keyCommentDone)
        keyComment = null;
      if (explicitKey) {
        if (keyComment)
          str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
        str = `? ${str}
${indent}:`;
      } else {
        str = `${str}:`;
        if (keyComment)
          str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
      }
      let vsb, vcb, valueComment;
      if (identity.isNode(value)) {
        vsb = !!value.spaceBefore;
        vcb = value.commentBefore;
        valueComment = value.comment;
      } else {
        vsb = false;
        vcb = null;
        valueComment = null;
        if (value && typeof value === "object")
          value = doc.createNode(value);
      }
      ctx.implicitKey = false;
      if (!explicitKey && !keyComment && identity.isScalar(value))
        ctx.indentAtStart = str.length + 1;
      chompKeep = false;
      if (!indentSeq && indentStep.length >= 2 && !ctx.inFlow && !explicitKey && identity.isSeq(value) && !value.flow && !value.tag && !value.anchor) {
        ctx.indent = ctx.indent.substring(2);
      }
      let valueCommentDone = false;
      const valueStr = stringify.stringify(value, ctx, () => valueCommentDone = true, () => chompKeep = true);
      let ws = " ";
      if (keyComment || vsb || vcb) {
        ws = vsb ? "\n" : "";
        if (vcb) {
          const cs = commentString(vcb);
          ws += `
${stringifyComment.indentComment(cs, ctx.indent)}`;
        }
        if (valueStr === "" && !ctx.inFlow) {
          if (ws === "\n" && valueComment)
            ws = "\n\n";
        } else {
          ws += `
${ctx.indent}`;
        }
      } else if (!explicitKey && identity.isCollection(value)) {
        const vs0 = valueStr[0];
        const nl0 = valueStr.indexOf("\n");
        const hasNewline = nl0 !== -1;
        const flow = ctx.inFlow ?? value.flow ?? value.items.length === 0;
        if (hasNewline || !flow) {
          let hasPropsLine = false;
          if (hasNewline && (vs0 === "&" || vs0 === "!")) {
            let sp0 = valueStr.indexOf(" ");
            if (vs0 === "&" && sp0 !== -1 && sp0 < nl0 && valueStr[sp0 + 1] === "!") {
              sp0 = valueStr.indexOf(" ", sp0 + 1);
            }
            if (sp0 === -1 || nl0 < sp0)
              hasPropsLine = true;
          }
          if (!hasPropsLine)
            ws = `
${ctx.indent}`;
        }
      } else if (valueStr === "" || valueStr[0] === "\n") {
        ws = "";
      }
      str += ws + valueStr;
      if (ctx.inFlow) {
        if (valueCommentDone && onComment)
          onComment();
      } else if (valueComment && !valueCommentDone) {
        str += stringifyComment.lineComment(str, ctx.indent, commentString(valueComment));
      } else if (chompKeep && onChompKeep) {
        onChompKeep();
      }
      return str;
    }
    exports.stringifyPair = stringifyPair;
  }
});

// node_modules/yaml/dist/log.js
var require_log = __commonJS({
  "node_modules/yaml/dist/log.js"(exports) {
    "use strict";
    var node_process = __require("process");
    function debug(logLevel, ...messages) {
      if (logLevel === "debug")
        console.log(...messages);
    }
    function warn(logLevel, warning) {
      if (logLevel === "debug" || logLevel === "warn") {
        if (typeof node_process.emitWarning === "function")
          node_process.emitWarning(warning);
        else
          console.warn(warning);
      }
    }
    exports.debug = debug;
    exports.warn = warn;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/merge.js
var require_merge = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/merge.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Scalar2 = require_Scalar();
    var MERGE_KEY = "<<";
    var merge = {
      identify: (value) => value === MERGE_KEY || typeof value === "symbol" && value.description === MERGE_KEY,
      default: "key",
      tag: "tag:yaml.org,2002:merge",
      test: /^<<$/,
      resolve: () => Object.assign(new Scalar2.Scalar(Symbol(MERGE_KEY)), {
        addToJSMap: addMergeToJSMap
      }),
      stringify: () => MERGE_KEY
    };
    var isMergeKey2 = (ctx, key) => (merge.identify(key) || identity.isScalar(key) && (!key.type || key.type === Scalar2.Scalar.PLAIN) && merge.identify(key.value)) && ctx?.doc.schema.tags.some((tag) => tag.tag === merge.tag && tag.default);
    function addMergeToJSMap(ctx, map, value) {
      const source = resolveAliasValue(ctx, value);
      if (identity.isSeq(source))
        for (const it of source.items)
          mergeValue(ctx, map, it);
      else if (Array.isArray(source))
        for (const it of source)
          mergeValue(ctx, map, it);
      else
        mergeValue(ctx, map, source);
    }
    function mergeValue(ctx, map, value) {
      const source = resolveAliasValue(ctx, value);
      if (!identity.isMap(source))
        throw new Error("Merge sources must be maps or map aliases");
      const srcMap = source.toJSON(null, ctx, Map);
      for (const [key, value2] of srcMap) {
        if (map instanceof Map) {
          if (!map.has(key))
            map.set(key, value2);
        } else if (map instanceof Set) {
          map.add(key);
        } else if (!Object.prototype.hasOwnProperty.call(map, key)) {
          Object.defineProperty(map, key, {
            value: value2,
            writable: true,
            enumerable: true,
            configurable: true
          });
        }
      }
      return map;
    }
    function resolveAliasValue(ctx, value) {
      return ctx && identity.isAlias(value) ? value.resolve(ctx.doc, ctx) : value;
    }
    exports.addMergeToJSMap = addMergeToJSMap;
    exports.isMergeKey = isMergeKey2;
    exports.merge = merge;
  }
});

// node_modules/yaml/dist/nodes/addPairToJSMap.js
var require_addPairToJSMap = __commonJS({
  "node_modules/yaml/dist/nodes/addPairToJSMap.js"(exports) {
    "use strict";
    var log = require_log();
    var merge = require_merge();
    var stringify = require_stringify();
    var identity = require_identity();
    var toJS = require_toJS();
    function addPairToJSMap(ctx, map, { key, value }) {
      if (identity.isNode(key) && key.addToJSMap)
        key.addToJSMap(ctx, map, value);
      else if (merge.isMergeKey(ctx, key))
        merge.addMergeToJSMap(ctx, map, value);
      else {
        const jsKey = toJS.toJS(key, "", ctx);
        if (map instanceof Map) {
          map.set(jsKey, toJS.toJS(value, jsKey, ctx));
        } else if (map instanceof Set) {
          map.add(jsKey);
        } else {
          const stringKey = stringifyKey(key, jsKey, ctx);
          const jsValue = toJS.toJS(value, stringKey, ctx);
          if (stringKey in map)
            Object.defineProperty(map, stringKey, {
              value: jsValue,
              writable: true,
              enumerable: true,
              configurable: true
            });
          else
            map[stringKey] = jsValue;
        }
      }
      return map;
    }
    function stringifyKey(key, jsKey, ctx) {
      if (jsKey === null)
        return "";
      if (typeof jsKey !== "object")
        return String(jsKey);
      if (identity.isNode(key) && ctx?.doc) {
        const strCtx = stringify.createStringifyContext(ctx.doc, {});
        strCtx.anchors = /* @__PURE__ */ new Set();
        for (const node of ctx.anchors.keys())
          strCtx.anchors.add(node.anchor);
        strCtx.inFlow = true;
        strCtx.inStringifyKey = true;
        const strKey = key.toString(strCtx);
        if (!ctx.mapKeyWarned) {
          let jsonStr = JSON.stringify(strKey);
          if (jsonStr.length > 40)
            jsonStr = jsonStr.substring(0, 36) + '..."';
          log.warn(ctx.doc.options.logLevel, `Keys with collection values will be stringified due to JS Object restrictions: ${jsonStr}. Set mapAsMap: true to use object keys.`);
          ctx.mapKeyWarned = true;
        }
        return strKey;
      }
      return JSON.stringify(jsKey);
    }
    exports.addPairToJSMap = addPairToJSMap;
  }
});

// node_modules/yaml/dist/nodes/Pair.js
var require_Pair = __commonJS({
  "node_modules/yaml/dist/nodes/Pair.js"(exports) {
    "use strict";
    var createNode = require_createNode();
    var stringifyPair = require_stringifyPair();
    var addPairToJSMap = require_addPairToJSMap();
    var identity = require_identity();
    function createPair(key, value, ctx) {
      const k = createNode.createNode(key, void 0, ctx);
      const v = createNode.createNode(value, void 0, ctx);
      return new Pair(k, v);
    }
    var Pair = class _Pair {
      constructor(key, value = null) {
        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.PAIR });
        this.key = key;
        this.value = value;
      }
      clone(schema) {
        let { key, value } = this;
        if (identity.isNode(key))
          key = key.clone(schema);
        if (identity.isNode(value))
          value = value.clone(schema);
        return new _Pair(key, value);
      }
      toJSON(_, ctx) {
        const pair = ctx?.mapAsMap ? /* @__PURE__ */ new Map() : {};
        return addPairToJSMap.addPairToJSMap(ctx, pair, this);
      }
      toString(ctx, onComment, onChompKeep) {
        return ctx?.doc ? stringifyPair.stringifyPair(this, ctx, onComment, onChompKeep) : JSON.stringify(this);
      }
    };
    exports.Pair = Pair;
    exports.createPair = createPair;
  }
});

// node_modules/yaml/dist/stringify/stringifyCollection.js
var require_stringifyCollection = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyCollection.js"(exports) {
    "use strict";
    var identity = require_identity();
    var stringify = require_stringify();
    var stringifyComment = require_stringifyComment();
    function stringifyCollection(collection, ctx, options) {
      const flow = ctx.inFlow ?? collection.flow;
      const stringify2 = flow ? stringifyFlowCollection : stringifyBlockCollection;
      return stringify2(collection, ctx, options);
    }
    function stringifyBlockCollection({ comment, items }, ctx, { blockItemPrefix, flowChars, itemIndent, onChompKeep, onComment }) {
      const { indent, options: { commentString } } = ctx;
      const itemCtx = Object.assign({}, ctx, { indent: itemIndent, type: null });
      let chompKeep = false;
      const lines = [];
      for (let i = 0; i < items.length; ++i) {
        const item = items[i];
        let comment2 = null;
        if (identity.isNode(item)) {
          if (!chompKeep && item.spaceBefore)
            lines.push("");
          addCommentBefore(ctx, lines, item.commentBefore, chompKeep);
          if (item.comment)
            comment2 = item.comment;
        } else if (identity.isPair(item)) {
          const ik = identity.isNode(item.key) ? item.key : null;
          if (ik) {
            if (!chompKeep && ik.spaceBefore)
              lines.push("");
            addCommentBefore(ctx, lines, ik.commentBefore, chompKeep);
          }
        }
        chompKeep = false;
        let str2 = stringify.stringify(item, itemCtx, () => comment2 = null, () => chompKeep = true);
        if (comment2)
          str2 += stringifyComment.lineComment(str2, itemIndent, commentString(comment2));
        if (chompKeep && comment2)
          chompKeep = false;
        lines.push(blockItemPrefix + str2);
      }
      let str;
      if (lines.length === 0) {
        str = flowChars.start + flowChars.end;
      } else {
        str = lines[0];
        for (let i = 1; i < lines.length; ++i) {
          const line = lines[i];
          str += line ? `
${indent}${line}` : "\n";
        }
      }
      if (comment) {
        str += "\n" + stringifyComment.indentComment(commentString(comment), indent);
        if (onComment)
          onComment();
      } else if (chompKeep && onChompKeep)
        onChompKeep();
      return str;
    }
    function stringifyFlowCollection({ items }, ctx, { flowChars, itemIndent }) {
      const { indent, indentStep, flowCollectionPadding: fcPadding, options: { commentString } } = ctx;
      itemIndent += indentStep;
      const itemCtx = Object.assign({}, ctx, {
        indent: itemIndent,
        inFlow: true,
        type: null
      });
      let reqNewline = false;
      let linesAtValue = 0;
      const lines = [];
      for (let i = 0; i < items.length; ++i) {
        const item = items[i];
        let comment = null;
        if (identity.isNode(item)) {
          if (item.spaceBefore)
            lines.push("");
          addCommentBefore(ctx, lines, item.commentBefore, false);
          if (item.comment)
            comment = item.comment;
        } else if (identity.isPair(item)) {
          const ik = identity.isNode(item.key) ? item.key : null;
          if (ik) {
            if (ik.spaceBefore)
              lines.push("");
            addCommentBefore(ctx, lines, ik.commentBefore, false);
            if (ik.comment)
              reqNewline = true;
          }
          const iv = identity.isNode(item.value) ? item.value : null;
          if (iv) {
            if (iv.comment)
              comment = iv.comment;
            if (iv.commentBefore)
              reqNewline = true;
          } else if (item.value == null && ik?.comment) {
            comment = ik.comment;
          }
        }
        if (comment)
          reqNewline = true;
        let str = stringify.stringify(item, itemCtx, () => comment = null);
        reqNewline || (reqNewline = lines.length > linesAtValue || str.includes("\n"));
        if (i < items.length - 1) {
          str += ",";
        } else if (ctx.options.trailingComma) {
          if (ctx.options.lineWidth > 0) {
            reqNewline || (reqNewline = lines.reduce((sum, line) => sum + line.length + 2, 2) + (str.length + 2) > ctx.options.lineWidth);
          }
          if (reqNewline) {
            str += ",";
          }
        }
        if (comment)
          str += stringifyComment.lineComment(str, itemIndent, commentString(comment));
        lines.push(str);
        linesAtValue = lines.length;
      }
      const { start, end } = flowChars;
      if (lines.length === 0) {
        return start + end;
      } else {
        if (!reqNewline) {
          const len = lines.reduce((sum, line) => sum + line.length + 2, 2);
          reqNewline = ctx.options.lineWidth > 0 && len > ctx.options.lineWidth;
        }
        if (reqNewline) {
          let str = start;
          for (const line of lines)
            str += line ? `
${indentStep}${indent}${line}` : "\n";
          return `${str}
${indent}${end}`;
        } else {
          return `${start}${fcPadding}${lines.join(" ")}${fcPadding}${end}`;
        }
      }
    }
    function addCommentBefore({ indent, options: { commentString } }, lines, comment, chompKeep) {
      if (comment && chompKeep)
        comment = comment.replace(/^\n+/, "");
      if (comment) {
        const ic = stringifyComment.indentComment(commentString(comment), indent);
        lines.push(ic.trimStart());
      }
    }
    exports.stringifyCollection = stringifyCollection;
  }
});

// node_modules/yaml/dist/nodes/YAMLMap.js
var require_YAMLMap = __commonJS({
  "node_modules/yaml/dist/nodes/YAMLMap.js"(exports) {
    "use strict";
    var stringifyCollection = require_stringifyCollection();
    var addPairToJSMap = require_addPairToJSMap();
    var Collection = require_Collection();
    var identity = require_identity();
    var Pair = require_Pair();
    var Scalar2 = require_Scalar();
    function findPair2(items, key) {
      const k = identity.isScalar(key) ? key.value : key;
      for (const it of items) {
        if (identity.isPair(it)) {
          if (it.key === key || it.key === k)
            return it;
          if (identity.isScalar(it.key) && it.key.value === k)
            return it;
        }
      }
      return void 0;
    }
    var YAMLMap = class extends Collection.Collection {
      static get tagName() {
        return "tag:yaml.org,2002:map";
      }
      constructor(schema) {
        super(identity.MAP, schema);
        this.items = [];
      }
      /**
       * A generic collection parsing method that can be extended
       * to other node classes that inherit from YAMLMap
       */
      static from(schema, obj, ctx) {
        const { keepUndefined, replacer } = ctx;
        const map = new this(schema);
        const add = (key, value) => {
          if (typeof replacer === "function")
            value = replacer.call(obj, key, value);
          else if (Array.isArray(replacer) && !replacer.includes(key))
            return;
          if (value !== void 0 || keepUndefined)
            map.items.push(Pair.createPair(key, value, ctx));
        };
        if (obj instanceof Map) {
          for (const [key, value] of obj)
            add(key, value);
        } else if (obj && typeof obj === "object") {
          for (const key of Object.keys(obj))
            add(key, obj[key]);
        }
        if (typeof schema.sortMapEntries === "function") {
          map.items.sort(schema.sortMapEntries);
        }
        return map;
      }
      /**
       * Adds a value to the collection.
       *
       * @param overwrite - If not set `true`, using a key that is already in the
       *   collection will throw. Otherwise, overwrites the previous value.
       */
      add(pair, overwrite) {
        let _pair;
        if (identity.isPair(pair))
          _pair = pair;
        else if (!pair || typeof pair !== "object" || !("key" in pair)) {
          _pair = new Pair.Pair(pair, pair?.value);
        } else
          _pair = new Pair.Pair(pair.key, pair.value);
        const prev = findPair2(this.items, _pair.key);
        const sortEntries = this.schema?.sortMapEntries;
        if (prev) {
          if (!overwrite)
            throw new Error(`Key ${_pair.key} already set`);
          if (identity.isScalar(prev.value) && Scalar2.isScalarValue(_pair.value))
            prev.value.value = _pair.value;
          else
            prev.value = _pair.value;
        } else if (sortEntries) {
          const i = this.items.findIndex((item) => sortEntries(_pair, item) < 0);
          if (i === -1)
            this.items.push(_pair);
          else
            this.items.splice(i, 0, _pair);
        } else {
          this.items.push(_pair);
        }
      }
      delete(key) {
        const it = findPair2(this.items, key);
        if (!it)
          return false;
        const del = this.items.splice(this.items.indexOf(it), 1);
        return del.length > 0;
      }
      get(key, keepScalar) {
        const it = findPair2(this.items, key);
        const node = it?.value;
        return (!keepScalar && identity.isScalar(node) ? node.value : node) ?? void 0;
      }
      has(key) {
        return !!findPair2(this.items, key);
      }
      set(key, value) {
        this.add(new Pair.Pair(key, value), true);
      }
      /**
       * @param ctx - Conversion context, originally set in Document#toJS()
       * @param {Class} Type - If set, forces the returned collection type
       * @returns Instance of Type, Map, or Object
       */
      toJSON(_, ctx, Type) {
        const map = Type ? new Type() : ctx?.mapAsMap ? /* @__PURE__ */ new Map() : {};
        if (ctx?.onCreate)
          ctx.onCreate(map);
        for (const item of this.items)
          addPairToJSMap.addPairToJSMap(ctx, map, item);
        return map;
      }
      toString(ctx, onComment, onChompKeep) {
        if (!ctx)
          return JSON.stringify(this);
        for (const item of this.items) {
          if (!identity.isPair(item))
            throw new Error(`Map items must all be pairs; found ${JSON.stringify(item)} instead`);
        }
        if (!ctx.allNullValues && this.hasAllNullValues(false))
          ctx = Object.assign({}, ctx, { allNullValues: true });
        return stringifyCollection.stringifyCollection(this, ctx, {
          blockItemPrefix: "",
          flowChars: { start: "{", end: "}" },
          itemIndent: ctx.indent || "",
          onChompKeep,
          onComment
        });
      }
    };
    exports.YAMLMap = YAMLMap;
    exports.findPair = findPair2;
  }
});

// node_modules/yaml/dist/schema/common/map.js
var require_map = __commonJS({
  "node_modules/yaml/dist/schema/common/map.js"(exports) {
    "use strict";
    var identity = require_identity();
    var YAMLMap = require_YAMLMap();
    var map = {
      collection: "map",
      default: true,
      nodeClass: YAMLMap.YAMLMap,
      tag: "tag:yaml.org,2002:map",
      resolve(map2, onError) {
        if (!identity.isMap(map2))
          onError("Expected a mapping for this tag");
        return map2;
      },
      createNode: (schema, obj, ctx) => YAMLMap.YAMLMap.from(schema, obj, ctx)
    };
    exports.map = map;
  }
});

// node_modules/yaml/dist/nodes/YAMLSeq.js
var require_YAMLSeq = __commonJS({
  "node_modules/yaml/dist/nodes/YAMLSeq.js"(exports) {
    "use strict";
    var createNode = require_createNode();
    var stringifyCollection = require_stringifyCollection();
    var Collection = require_Collection();
    var identity = require_identity();
    var Scalar2 = require_Scalar();
    var toJS = require_toJS();
    var YAMLSeq = class extends Collection.Collection {
      static get tagName() {
        return "tag:yaml.org,2002:seq";
      }
      constructor(schema) {
        super(identity.SEQ, schema);
        this.items = [];
      }
      add(value) {
        this.items.push(value);
      }
      /**
       * Removes a value from the collection.
       *
       * `key` must contain a representation of an integer for this to succeed.
       * It may be wrapped in a `Scalar`.
       *
       * @returns `true` if the item was found and removed.
       */
      delete(key) {
        const idx = asItemIndex(key);
        if (typeof idx !== "number")
          return false;
        const del = this.items.splice(idx, 1);
        return del.length > 0;
      }
      get(key, keepScalar) {
        const idx = asItemIndex(key);
        if (typeof idx !== "number")
          return void 0;
        const it = this.items[idx];
        return !keepScalar && identity.isScalar(it) ? it.value : it;
      }
      /**
       * Checks if the collection includes a value with the key `key`.
       *
       * `key` must contain a representation of an integer for this to succeed.
       * It may be wrapped in a `Scalar`.
       */
      has(key) {
        const idx = asItemIndex(key);
        return typeof idx === "number" && idx < this.items.length;
      }
      /**
       * Sets a value in this collection. For `!!set`, `value` needs to be a
       * boolean to add/remove the item from the set.
       *
       * If `key` does not contain a representation of an integer, this will throw.
       * It may be wrapped in a `Scalar`.
       */
      set(key, value) {
        const idx = asItemIndex(key);
        if (typeof idx !== "number")
          throw new Error(`Expected a valid index, not ${key}.`);
        const prev = this.items[idx];
        if (identity.isScalar(prev) && Scalar2.isScalarValue(value))
          prev.value = value;
        else
          this.items[idx] = value;
      }
      toJSON(_, ctx) {
        const seq = [];
        if (ctx?.onCreate)
          ctx.onCreate(seq);
        let i = 0;
        for (const item of this.items)
          seq.push(toJS.toJS(item, String(i++), ctx));
        return seq;
      }
      toString(ctx, onComment, onChompKeep) {
        if (!ctx)
          return JSON.stringify(this);
        return stringifyCollection.stringifyCollection(this, ctx, {
          blockItemPrefix: "- ",
          flowChars: { start: "[", end: "]" },
          itemIndent: (ctx.indent || "") + "  ",
          onChompKeep,
          onComment
        });
      }
      static from(schema, obj, ctx) {
        const { replacer } = ctx;
        const seq = new this(schema);
        if (obj && Symbol.iterator in Object(obj)) {
          let i = 0;
          for (let it of obj) {
            if (typeof replacer === "function") {
              const key = obj instanceof Set ? it : String(i++);
              it = replacer.call(obj, key, it);
            }
            seq.items.push(createNode.createNode(it, void 0, ctx));
          }
        }
        return seq;
      }
    };
    function asItemIndex(key) {
      let idx = identity.isScalar(key) ? key.value : key;
      if (idx && typeof idx === "string")
        idx = Number(idx);
      return typeof idx === "number" && Number.isInteger(idx) && idx >= 0 ? idx : null;
    }
    exports.YAMLSeq = YAMLSeq;
  }
});

// node_modules/yaml/dist/schema/common/seq.js
var require_seq = __commonJS({
  "node_modules/yaml/dist/schema/common/seq.js"(exports) {
    "use strict";
    var identity = require_identity();
    var YAMLSeq = require_YAMLSeq();
    var seq = {
      collection: "seq",
      default: true,
      nodeClass: YAMLSeq.YAMLSeq,
      tag: "tag:yaml.org,2002:seq",
      resolve(seq2, onError) {
        if (!identity.isSeq(seq2))
          onError("Expected a sequence for this tag");
        return seq2;
      },
      createNode: (schema, obj, ctx) => YAMLSeq.YAMLSeq.from(schema, obj, ctx)
    };
    exports.seq = seq;
  }
});

// node_modules/yaml/dist/schema/common/string.js
var require_string = __commonJS({
  "node_modules/yaml/dist/schema/common/string.js"(exports) {
    "use strict";
    var stringifyString = require_stringifyString();
    var string = {
      identify: (value) => typeof value === "string",
      default: true,
      tag: "tag:yaml.org,2002:str",
      resolve: (str) => str,
      stringify(item, ctx, onComment, onChompKeep) {
        ctx = Object.assign({ actualString: true }, ctx);
        return stringifyString.stringifyString(item, ctx, onComment, onChompKeep);
      }
    };
    exports.string = string;
  }
});

// node_modules/yaml/dist/schema/common/null.js
var require_null = __commonJS({
  "node_modules/yaml/dist/schema/common/null.js"(exports) {
    "use strict";
    var Scalar2 = require_Scalar();
    var nullTag = {
      identify: (value) => value == null,
      createNode: () => new Scalar2.Scalar(null),
      default: true,
      tag: "tag:yaml.org,2002:null",
      test: /^(?:~|[Nn]ull|NULL)?$/,
      resolve: () => new Scalar2.Scalar(null),
      stringify: ({ source }, ctx) => typeof source === "string" && nullTag.test.test(source) ? source : ctx.options.nullStr
    };
    exports.nullTag = nullTag;
  }
});

// node_modules/yaml/dist/schema/core/bool.js
var require_bool = __commonJS({
  "node_modules/yaml/dist/schema/core/bool.js"(exports) {
    "use strict";
    var Scalar2 = require_Scalar();
    var boolTag = {
      identify: (value) => typeof value === "boolean",
      default: true,
      tag: "tag:yaml.org,2002:bool",
      test: /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
      resolve: (str) => new Scalar2.Scalar(str[0] === "t" || str[0] === "T"),
      stringify({ source, value }, ctx) {
        if (source && boolTag.test.test(source)) {
          const sv = source[0] === "t" || source[0] === "T";
          if (value === sv)
            return source;
        }
        return value ? ctx.options.trueStr : ctx.options.falseStr;
      }
    };
    exports.boolTag = boolTag;
  }
});

// node_modules/yaml/dist/stringify/stringifyNumber.js
var require_stringifyNumber = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyNumber.js"(exports) {
    "use strict";
    function stringifyNumber({ format, minFractionDigits, tag, value }) {
      if (typeof value === "bigint")
        return String(value);
      const num = typeof value === "number" ? value : Number(value);
      if (!isFinite(num))
        return isNaN(num) ? ".nan" : num < 0 ? "-.inf" : ".inf";
      let n = Object.is(value, -0) ? "-0" : JSON.stringify(value);
      if (!format && minFractionDigits && (!tag || tag === "tag:yaml.org,2002:float") && /^-?\d/.test(n) && !n.includes("e")) {
        let i = n.indexOf(".");
        if (i < 0) {
          i = n.length;
          n += ".";
        }
        let d = minFractionDigits - (n.length - i - 1);
        while (d-- > 0)
          n += "0";
      }
      return n;
    }
    exports.stringifyNumber = stringifyNumber;
  }
});

// node_modules/yaml/dist/schema/core/float.js
var require_float = __commonJS({
  "node_modules/yaml/dist/schema/core/float.js"(exports) {
    "use strict";
    var Scalar2 = require_Scalar();
    var stringifyNumber = require_stringifyNumber();
    var floatNaN = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
      resolve: (str) => str.slice(-3).toLowerCase() === "nan" ? NaN : str[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY,
      stringify: stringifyNumber.stringifyNumber
    };
    var floatExp = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      format: "EXP",
      test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
      resolve: (str) => parseFloat(str),
      stringify(node) {
        const num = Number(node.value);
        return isFinite(num) ? num.toExponential() : stringifyNumber.stringifyNumber(node);
      }
    };
    var float = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      test: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
      resolve(str) {
        const node = new Scalar2.Scalar(parseFloat(str));
        const dot = str.indexOf(".");
        if (dot !== -1 && str[str.length - 1] === "0")
          node.minFractionDigits = str.length - dot - 1;
        return node;
      },
      stringify: stringifyNumber.stringifyNumber
    };
    exports.float = float;
    exports.floatExp = floatExp;
    exports.floatNaN = floatNaN;
  }
});

// node_modules/yaml/dist/schema/core/int.js
var require_int = __commonJS({
  "node_modules/yaml/dist/schema/core/int.js"(exports) {
    "use strict";
    var stringifyNumber = require_stringifyNumber();
    var intIdentify = (value) => typeof value === "bigint" || Number.isInteger(value);
    var intResolve = (str, offset, radix, { intAsBigInt }) => intAsBigInt ? BigInt(str) : parseInt(str.substring(offset), radix);
    function intStringify(node, radix, prefix) {
      const { value } = node;
      if (intIdentify(value) && value >= 0)
        return prefix + value.toString(radix);
      return stringifyNumber.stringifyNumber(node);
    }
    var intOct = {
      identify: (value) => intIdentify(value) && value >= 0,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "OCT",
      test: /^0o[0-7]+$/,
      resolve: (str, _onError, opt) => intResolve(str, 2, 8, opt),
      stringify: (node) => intStringify(node, 8, "0o")
    };
    var int = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      test: /^[-+]?[0-9]+$/,
      resolve: (str, _onError, opt) => intResolve(str, 0, 10, opt),
      stringify: stringifyNumber.stringifyNumber
    };
    var intHex = {
      identify: (value) => intIdentify(value) && value >= 0,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "HEX",
      test: /^0x[0-9a-fA-F]+$/,
      resolve: (str, _onError, opt) => intResolve(str, 2, 16, opt),
      stringify: (node) => intStringify(node, 16, "0x")
    };
    exports.int = int;
    exports.intHex = intHex;
    exports.intOct = intOct;
  }
});

// node_modules/yaml/dist/schema/core/schema.js
var require_schema = __commonJS({
  "node_modules/yaml/dist/schema/core/schema.js"(exports) {
    "use strict";
    var map = require_map();
    var _null = require_null();
    var seq = require_seq();
    var string = require_string();
    var bool = require_bool();
    var float = require_float();
    var int = require_int();
    var schema = [
      map.map,
      seq.seq,
      string.string,
      _null.nullTag,
      bool.boolTag,
      int.intOct,
      int.int,
      int.intHex,
      float.floatNaN,
      float.floatExp,
      float.float
    ];
    exports.schema = schema;
  }
});

// node_modules/yaml/dist/schema/json/schema.js
var require_schema2 = __commonJS({
  "node_modules/yaml/dist/schema/json/schema.js"(exports) {
    "use strict";
    var Scalar2 = require_Scalar();
    var map = require_map();
    var seq = require_seq();
    function intIdentify(value) {
      return typeof value === "bigint" || Number.isInteger(value);
    }
    var stringifyJSON = ({ value }) => JSON.stringify(value);
    var jsonScalars = [
      {
        identify: (value) => typeof value === "string",
        default: true,
        tag: "tag:yaml.org,2002:str",
        resolve: (str) => str,
        stringify: stringifyJSON
      },
      {
        identify: (value) => value == null,
        createNode: () => new Scalar2.Scalar(null),
        default: true,
        tag: "tag:yaml.org,2002:null",
        test: /^null$/,
        resolve: () => null,
        stringify: stringifyJSON
      },
      {
        identify: (value) => typeof value === "boolean",
        default: true,
        tag: "tag:yaml.org,2002:bool",
        test: /^true$|^false$/,
        resolve: (str) => str === "true",
        stringify: stringifyJSON
      },
      {
        identify: intIdentify,
        default: true,
        tag: "tag:yaml.org,2002:int",
        test: /^-?(?:0|[1-9][0-9]*)$/,
        resolve: (str, _onError, { intAsBigInt }) => intAsBigInt ? BigInt(str) : parseInt(str, 10),
        stringify: ({ value }) => intIdentify(value) ? value.toString() : JSON.stringify(value)
      },
      {
        identify: (value) => typeof value === "number",
        default: true,
        tag: "tag:yaml.org,2002:float",
        test: /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?$/,
        resolve: (str) => parseFloat(str),
        stringify: stringifyJSON
      }
    ];
    var jsonError = {
      default: true,
      tag: "",
      test: /^/,
      resolve(str, onError) {
        onError(`Unresolved plain scalar ${JSON.stringify(str)}`);
        return str;
      }
    };
    var schema = [map.map, seq.seq].concat(jsonScalars, jsonError);
    exports.schema = schema;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/binary.js
var require_binary = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/binary.js"(exports) {
    "use strict";
    var node_buffer = __require("buffer");
    var Scalar2 = require_Scalar();
    var stringifyString = require_stringifyString();
    var binary = {
      identify: (value) => value instanceof Uint8Array,
      // Buffer inherits from Uint8Array
      default: false,
      tag: "tag:yaml.org,2002:binary",
      /**
       * Returns a Buffer in node and an Uint8Array in browsers
       *
       * To use the resulting buffer as an image, you'll want to do something like:
       *
       *   const blob = new Blob([buffer], { type: 'image/jpeg' })
       *   document.querySelector('#photo').src = URL.createObjectURL(blob)
       */
      resolve(src, onError) {
        if (typeof node_buffer.Buffer === "function") {
          return node_buffer.Buffer.from(src, "base64");
        } else if (typeof atob === "function") {
          const str = atob(src.replace(/[\n\r]/g, ""));
          const buffer = new Uint8Array(str.length);
          for (let i = 0; i < str.length; ++i)
            buffer[i] = str.charCodeAt(i);
          return buffer;
        } else {
          onError("This environment does not support reading binary tags; either Buffer or atob is required");
          return src;
        }
      },
      stringify({ comment, type, value }, ctx, onComment, onChompKeep) {
        if (!value)
          return "";
        const buf = value;
        let str;
        if (typeof node_buffer.Buffer === "function") {
          str = buf instanceof node_buffer.Buffer ? buf.toString("base64") : node_buffer.Buffer.from(buf.buffer).toString("base64");
        } else if (typeof btoa === "function") {
          let s = "";
          for (let i = 0; i < buf.length; ++i)
            s += String.fromCharCode(buf[i]);
          str = btoa(s);
        } else {
          throw new Error("This environment does not support writing binary tags; either Buffer or btoa is required");
        }
        type ?? (type = Scalar2.Scalar.BLOCK_LITERAL);
        if (type !== Scalar2.Scalar.QUOTE_DOUBLE) {
          const lineWidth = Math.max(ctx.options.lineWidth - ctx.indent.length, ctx.options.minContentWidth);
          const n = Math.ceil(str.length / lineWidth);
          const lines = new Array(n);
          for (let i = 0, o = 0; i < n; ++i, o += lineWidth) {
            lines[i] = str.substr(o, lineWidth);
          }
          str = lines.join(type === Scalar2.Scalar.BLOCK_LITERAL ? "\n" : " ");
        }
        return stringifyString.stringifyString({ comment, type, value: str }, ctx, onComment, onChompKeep);
      }
    };
    exports.binary = binary;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/pairs.js
var require_pairs = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/pairs.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Pair = require_Pair();
    var Scalar2 = require_Scalar();
    var YAMLSeq = require_YAMLSeq();
    function resolvePairs(seq, onError) {
      if (identity.isSeq(seq)) {
        for (let i = 0; i < seq.items.length; ++i) {
          let item = seq.items[i];
          if (identity.isPair(item))
            continue;
          else if (identity.isMap(item)) {
            if (item.items.length > 1)
              onError("Each pair must have its own sequence indicator");
            const pair = item.items[0] || new Pair.Pair(new Scalar2.Scalar(null));
            if (item.commentBefore)
              pair.key.commentBefore = pair.key.commentBefore ? `${item.commentBefore}
${pair.key.commentBefore}` : item.commentBefore;
            if (item.comment) {
              const cn = pair.value ?? pair.key;
              cn.comment = cn.comment ? `${item.comment}
${cn.comment}` : item.comment;
            }
            item = pair;
          }
          seq.items[i] = identity.isPair(item) ? item : new Pair.Pair(item);
        }
      } else
        onError("Expected a sequence for this tag");
      return seq;
    }
    function createPairs(schema, iterable, ctx) {
      const { replacer } = ctx;
      const pairs2 = new YAMLSeq.YAMLSeq(schema);
      pairs2.tag = "tag:yaml.org,2002:pairs";
      let i = 0;
      if (iterable && Symbol.iterator in Object(iterable))
        for (let it of iterable) {
          if (typeof replacer === "function")
            it = replacer.call(iterable, String(i++), it);
          let key, value;
          if (Array.isArray(it)) {
            if (it.length === 2) {
              key = it[0];
              value = it[1];
            } else
              throw new TypeError(`Expected [key, value] tuple: ${it}`);
          } else if (it && it instanceof Object) {
            const keys = Object.keys(it);
            if (keys.length === 1) {
              key = keys[0];
              value = it[key];
            } else {
              throw new TypeError(`Expected tuple with one key, not ${keys.length} keys`);
            }
          } else {
            key = it;
          }
          pairs2.items.push(Pair.createPair(key, value, ctx));
        }
      return pairs2;
    }
    var pairs = {
      collection: "seq",
      default: false,
      tag: "tag:yaml.org,2002:pairs",
      resolve: resolvePairs,
      createNode: createPairs
    };
    exports.createPairs = createPairs;
    exports.pairs = pairs;
    exports.resolvePairs = resolvePairs;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/omap.js
var require_omap = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/omap.js"(exports) {
    "use strict";
    var identity = require_identity();
    var toJS = require_toJS();
    var YAMLMap = require_YAMLMap();
    var YAMLSeq = require_YAMLSeq();
    var pairs = require_pairs();
    var YAMLOMap = class _YAMLOMap extends YAMLSeq.YAMLSeq {
      constructor() {
        super();
        this.add = YAMLMap.YAMLMap.prototype.add.bind(this);
        this.delete = YAMLMap.YAMLMap.prototype.delete.bind(this);
        this.get = YAMLMap.YAMLMap.prototype.get.bind(this);
        this.has = YAMLMap.YAMLMap.prototype.has.bind(this);
        this.set = YAMLMap.YAMLMap.prototype.set.bind(this);
        this.tag = _YAMLOMap.tag;
      }
      /**
       * If `ctx` is given, the return type is actually `Map<unknown, unknown>`,
       * but TypeScript won't allow widening the signature of a child method.
       */
      toJSON(_, ctx) {
        if (!ctx)
          return super.toJSON(_);
        const map = /* @__PURE__ */ new Map();
        if (ctx?.onCreate)
          ctx.onCreate(map);
        for (const pair of this.items) {
          let key, value;
          if (identity.isPair(pair)) {
            key = toJS.toJS(pair.key, "", ctx);
            value = toJS.toJS(pair.value, key, ctx);
          } else {
            key = toJS.toJS(pair, "", ctx);
          }
          if (map.has(key))
            throw new Error("Ordered maps must not include duplicate keys");
          map.set(key, value);
        }
        return map;
      }
      static from(schema, iterable, ctx) {
        const pairs$1 = pairs.createPairs(schema, iterable, ctx);
        const omap2 = new this();
        omap2.items = pairs$1.items;
        return omap2;
      }
    };
    YAMLOMap.tag = "tag:yaml.org,2002:omap";
    var omap = {
      collection: "seq",
      identify: (value) => value instanceof Map,
      nodeClass: YAMLOMap,
      default: false,
      tag: "tag:yaml.org,2002:omap",
      resolve(seq, onError) {
        const pairs$1 = pairs.resolvePairs(seq, onError);
        const seenKeys = [];
        for (const { key } of pairs$1.items) {
          if (identity.isScalar(key)) {
            if (seenKeys.includes(key.value)) {
              onError(`Ordered maps must not include duplicate keys: ${key.value}`);
            } else {
              seenKeys.push(key.value);
            }
          }
        }
        return Object.assign(new YAMLOMap(), pairs$1);
      },
      createNode: (schema, iterable, ctx) => YAMLOMap.from(schema, iterable, ctx)
    };
    exports.YAMLOMap = YAMLOMap;
    exports.omap = omap;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/bool.js
var require_bool2 = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/bool.js"(exports) {
    "use strict";
    var Scalar2 = require_Scalar();
    function boolStringify({ value, source }, ctx) {
      const boolObj = value ? trueTag : falseTag;
      if (source && boolObj.test.test(source))
        return source;
      return value ? ctx.options.trueStr : ctx.options.falseStr;
    }
    var trueTag = {
      identify: (value) => value === true,
      default: true,
      tag: "tag:yaml.org,2002:bool",
      test: /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
      resolve: () => new Scalar2.Scalar(true),
      stringify: boolStringify
    };
    var falseTag = {
      identify: (value) => value === false,
      default: true,
      tag: "tag:yaml.org,2002:bool",
      test: /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
      resolve: () => new Scalar2.Scalar(false),
      stringify: boolStringify
    };
    exports.falseTag = falseTag;
    exports.trueTag = trueTag;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/float.js
var require_float2 = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/float.js"(exports) {
    "use strict";
    var Scalar2 = require_Scalar();
    var stringifyNumber = require_stringifyNumber();
    var floatNaN = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
      resolve: (str) => str.slice(-3).toLowerCase() === "nan" ? NaN : str[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY,
      stringify: stringifyNumber.stringifyNumber
    };
    var floatExp = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      format: "EXP",
      test: /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
      resolve: (str) => parseFloat(str.replace(/_/g, "")),
      stringify(node) {
        const num = Number(node.value);
        return isFinite(num) ? num.toExponential() : stringifyNumber.stringifyNumber(node);
      }
    };
    var float = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      test: /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
      resolve(str) {
        const node = new Scalar2.Scalar(parseFloat(str.replace(/_/g, "")));
        const dot = str.indexOf(".");
        if (dot !== -1) {
          const f = str.substring(dot + 1).replace(/_/g, "");
          if (f[f.length - 1] === "0")
            node.minFractionDigits = f.length;
        }
        return node;
      },
      stringify: stringifyNumber.stringifyNumber
    };
    exports.float = float;
    exports.floatExp = floatExp;
    exports.floatNaN = floatNaN;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/int.js
var require_int2 = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/int.js"(exports) {
    "use strict";
    var stringifyNumber = require_stringifyNumber();
    var intIdentify = (value) => typeof value === "bigint" || Number.isInteger(value);
    function intResolve(str, offset, radix, { intAsBigInt }) {
      const sign = str[0];
      if (sign === "-" || sign === "+")
        offset += 1;
      str = str.substring(offset).replace(/_/g, "");
      if (intAsBigInt) {
        switch (radix) {
          case 2:
            str = `0b${str}`;
            break;
          case 8:
            str = `0o${str}`;
            break;
          case 16:
            str = `0x${str}`;
            break;
        }
        const n2 = BigInt(str);
        return sign === "-" ? BigInt(-1) * n2 : n2;
      }
      const n = parseInt(str, radix);
      return sign === "-" ? -1 * n : n;
    }
    function intStringify(node, radix, prefix) {
      const { value } = node;
      if (intIdentify(value)) {
        const str = value.toString(radix);
        return value < 0 ? "-" + prefix + str.substr(1) : prefix + str;
      }
      return stringifyNumber.stringifyNumber(node);
    }
    var intBin = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "BIN",
      test: /^[-+]?0b[0-1_]+$/,
      resolve: (str, _onError, opt) => intResolve(str, 2, 2, opt),
      stringify: (node) => intStringify(node, 2, "0b")
    };
    var intOct = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "OCT",
      test: /^[-+]?0[0-7_]+$/,
      resolve: (str, _onError, opt) => intResolve(str, 1, 8, opt),
      stringify: (node) => intStringify(node, 8, "0")
    };
    var int = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      test: /^[-+]?[0-9][0-9_]*$/,
      resolve: (str, _onError, opt) => intResolve(str, 0, 10, opt),
      stringify: stringifyNumber.stringifyNumber
    };
    var intHex = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "HEX",
      test: /^[-+]?0x[0-9a-fA-F_]+$/,
      resolve: (str, _onError, opt) => intResolve(str, 2, 16, opt),
      stringify: (node) => intStringify(node, 16, "0x")
    };
    exports.int = int;
    exports.intBin = intBin;
    exports.intHex = intHex;
    exports.intOct = intOct;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/set.js
var require_set = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/set.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Pair = require_Pair();
    var YAMLMap = require_YAMLMap();
    var YAMLSet = class _YAMLSet extends YAMLMap.YAMLMap {
      constructor(schema) {
        super(schema);
        this.tag = _YAMLSet.tag;
      }
      add(key) {
        let pair;
        if (identity.isPair(key))
          pair = key;
        else if (key && typeof key === "object" && "key" in key && "value" in key && key.value === null)
          pair = new Pair.Pair(key.key, null);
        else
          pair = new Pair.Pair(key, null);
        const prev = YAMLMap.findPair(this.items, pair.key);
        if (!prev)
          this.items.push(pair);
      }
      /**
       * If `keepPair` is `true`, returns the Pair matching `key`.
       * Otherwise, returns the value of that Pair's key.
       */
      get(key, keepPair) {
        const pair = YAMLMap.findPair(this.items, key);
        return !keepPair && identity.isPair(pair) ? identity.isScalar(pair.key) ? pair.key.value : pair.key : pair;
      }
      set(key, value) {
        if (typeof value !== "boolean")
          throw new Error(`Expected boolean value for set(key, value) in a YAML set, not ${typeof value}`);
        const prev = YAMLMap.findPair(this.items, key);
        if (prev && !value) {
          this.items.splice(this.items.indexOf(prev), 1);
        } else if (!prev && value) {
          this.items.push(new Pair.Pair(key));
        }
      }
      toJSON(_, ctx) {
        return super.toJSON(_, ctx, Set);
      }
      toString(ctx, onComment, onChompKeep) {
        if (!ctx)
          return JSON.stringify(this);
        if (this.hasAllNullValues(true))
          return super.toString(Object.assign({}, ctx, { allNullValues: true }), onComment, onChompKeep);
        else
          throw new Error("Set items must all have null values");
      }
      static from(schema, iterable, ctx) {
        const { replacer } = ctx;
        const set2 = new this(schema);
        if (iterable && Symbol.iterator in Object(iterable))
          for (let value of iterable) {
            if (typeof replacer === "function")
              value = replacer.call(iterable, value, value);
            set2.items.push(Pair.createPair(value, null, ctx));
          }
        return set2;
      }
    };
    YAMLSet.tag = "tag:yaml.org,2002:set";
    var set = {
      collection: "map",
      identify: (value) => value instanceof Set,
      nodeClass: YAMLSet,
      default: false,
      tag: "tag:yaml.org,2002:set",
      createNode: (schema, iterable, ctx) => YAMLSet.from(schema, iterable, ctx),
      resolve(map, onError) {
        if (identity.isMap(map)) {
          if (map.hasAllNullValues(true))
            return Object.assign(new YAMLSet(), map);
          else
            onError("Set items must all have null values");
        } else
          onError("Expected a mapping for this tag");
        return map;
      }
    };
    exports.YAMLSet = YAMLSet;
    exports.set = set;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/timestamp.js
var require_timestamp = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/timestamp.js"(exports) {
    "use strict";
    var stringifyNumber = require_stringifyNumber();
    function parseSexagesimal(str, asBigInt) {
      const sign = str[0];
      const parts = sign === "-" || sign === "+" ? str.substring(1) : str;
      const num = (n) => asBigInt ? BigInt(n) : Number(n);
      const res = parts.replace(/_/g, "").split(":").reduce((res2, p) => res2 * num(60) + num(p), num(0));
      return sign === "-" ? num(-1) * res : res;
    }
    function stringifySexagesimal(node) {
      let { value } = node;
      let num = (n) => n;
      if (typeof value === "bigint")
        num = (n) => BigInt(n);
      else if (isNaN(value) || !isFinite(value))
        return stringifyNumber.stringifyNumber(node);
      let sign = "";
      if (value < 0) {
        sign = "-";
        value *= num(-1);
      }
      const _60 = num(60);
      const parts = [value % _60];
      if (value < 60) {
        parts.unshift(0);
      } else {
        value = (value - parts[0]) / _60;
        parts.unshift(value % _60);
        if (value >= 60) {
          value = (value - parts[0]) / _60;
          parts.unshift(value);
        }
      }
      return sign + parts.map((n) => String(n).padStart(2, "0")).join(":").replace(/000000\d*$/, "");
    }
    var intTime = {
      identify: (value) => typeof value === "bigint" || Number.isInteger(value),
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "TIME",
      test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
      resolve: (str, _onError, { intAsBigInt }) => parseSexagesimal(str, intAsBigInt),
      stringify: stringifySexagesimal
    };
    var floatTime = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      format: "TIME",
      test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
      resolve: (str) => parseSexagesimal(str, false),
      stringify: stringifySexagesimal
    };
    var timestamp = {
      identify: (value) => value instanceof Date,
      default: true,
      tag: "tag:yaml.org,2002:timestamp",
      // If the time zone is omitted, the timestamp is assumed to be specified in UTC. The time part
      // may be omitted altogether, resulting in a date format. In such a case, the time part is
      // assumed to be 00:00:00Z (start of day, UTC).
      test: RegExp("^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:t|T|[ \\t]+)([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\\.[0-9]+)?)(?:[ \\t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$"),
      resolve(str) {
        const match = str.match(timestamp.test);
        if (!match)
          throw new Error("!!timestamp expects a date, starting with yyyy-mm-dd");
        const [, year, month, day, hour, minute, second] = match.map(Number);
        const millisec = match[7] ? Number((match[7] + "00").substr(1, 3)) : 0;
        let date = Date.UTC(year, month - 1, day, hour || 0, minute || 0, second || 0, millisec);
        const tz = match[8];
        if (tz && tz !== "Z") {
          let d = parseSexagesimal(tz, false);
          if (Math.abs(d) < 30)
            d *= 60;
          date -= 6e4 * d;
        }
        return new Date(date);
      },
      stringify: ({ value }) => value?.toISOString().replace(/(T00:00:00)?\.000Z$/, "") ?? ""
    };
    exports.floatTime = floatTime;
    exports.intTime = intTime;
    exports.timestamp = timestamp;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/schema.js
var require_schema3 = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/schema.js"(exports) {
    "use strict";
    var map = require_map();
    var _null = require_null();
    var seq = require_seq();
    var string = require_string();
    var binary = require_binary();
    var bool = require_bool2();
    var float = require_float2();
    var int = require_int2();
    var merge = require_merge();
    var omap = require_omap();
    var pairs = require_pairs();
    var set = require_set();
    var timestamp = require_timestamp();
    var schema = [
      map.map,
      seq.seq,
      string.string,
      _null.nullTag,
      bool.trueTag,
      bool.falseTag,
      int.intBin,
      int.intOct,
      int.int,
      int.intHex,
      float.floatNaN,
      float.floatExp,
      float.float,
      binary.binary,
      merge.merge,
      omap.omap,
      pairs.pairs,
      set.set,
      timestamp.intTime,
      timestamp.floatTime,
      timestamp.timestamp
    ];
    exports.schema = schema;
  }
});

// node_modules/yaml/dist/schema/tags.js
var require_tags = __commonJS({
  "node_modules/yaml/dist/schema/tags.js"(exports) {
    "use strict";
    var map = require_map();
    var _null = require_null();
    var seq = require_seq();
    var string = require_string();
    var bool = require_bool();
    var float = require_float();
    var int = require_int();
    var schema = require_schema();
    var schema$1 = require_schema2();
    var binary = require_binary();
    var merge = require_merge();
    var omap = require_omap();
    var pairs = require_pairs();
    var schema$2 = require_schema3();
    var set = require_set();
    var timestamp = require_timestamp();
    var schemas = /* @__PURE__ */ new Map([
      ["core", schema.schema],
      ["failsafe", [map.map, seq.seq, string.string]],
      ["json", schema$1.schema],
      ["yaml11", schema$2.schema],
      ["yaml-1.1", schema$2.schema]
    ]);
    var tagsByName = {
      binary: binary.binary,
      bool: bool.boolTag,
      float: float.float,
      floatExp: float.floatExp,
      floatNaN: float.floatNaN,
      floatTime: timestamp.floatTime,
      int: int.int,
      intHex: int.intHex,
      intOct: int.intOct,
      intTime: timestamp.intTime,
      map: map.map,
      merge: merge.merge,
      null: _null.nullTag,
      omap: omap.omap,
      pairs: pairs.pairs,
      seq: seq.seq,
      set: set.set,
      timestamp: timestamp.timestamp
    };
    var coreKnownTags = {
      "tag:yaml.org,2002:binary": binary.binary,
      "tag:yaml.org,2002:merge": merge.merge,
      "tag:yaml.org,2002:omap": omap.omap,
      "tag:yaml.org,2002:pairs": pairs.pairs,
      "tag:yaml.org,2002:set": set.set,
      "tag:yaml.org,2002:timestamp": timestamp.timestamp
    };
    function getTags(customTags, schemaName, addMergeTag) {
      const schemaTags = schemas.get(schemaName);
      if (schemaTags && !customTags) {
        return addMergeTag && !schemaTags.includes(merge.merge) ? schemaTags.concat(merge.merge) : schemaTags.slice();
      }
      let tags = schemaTags;
      if (!tags) {
        if (Array.isArray(customTags))
          tags = [];
        else {
          const keys = Array.from(schemas.keys()).filter((key) => key !== "yaml11").map((key) => JSON.stringify(key)).join(", ");
          throw new Error(`Unknown schema "${schemaName}"; use one of ${keys} or define customTags array`);
        }
      }
      if (Array.isArray(customTags)) {
        for (const tag of customTags)
          tags = tags.concat(tag);
      } else if (typeof customTags === "function") {
        tags = customTags(tags.slice());
      }
      if (addMergeTag)
        tags = tags.concat(merge.merge);
      return tags.reduce((tags2, tag) => {
        const tagObj = typeof tag === "string" ? tagsByName[tag] : tag;
        if (!tagObj) {
          const tagName = JSON.stringify(tag);
          const keys = Object.keys(tagsByName).map((key) => JSON.stringify(key)).join(", ");
          throw new Error(`Unknown custom tag ${tagName}; use one of ${keys}`);
        }
        if (!tags2.includes(tagObj))
          tags2.push(tagObj);
        return tags2;
      }, []);
    }
    exports.coreKnownTags = coreKnownTags;
    exports.getTags = getTags;
  }
});

// node_modules/yaml/dist/schema/Schema.js
var require_Schema = __commonJS({
  "node_modules/yaml/dist/schema/Schema.js"(exports) {
    "use strict";
    var identity = require_identity();
    var map = require_map();
    var seq = require_seq();
    var string = require_string();
    var tags = require_tags();
    var sortMapEntriesByKey = (a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
    var Schema = class _Schema {
      constructor({ compat, customTags, merge, resolveKnownTags, schema, sortMapEntries, toStringDefaults }) {
        this.compat = Array.isArray(compat) ? tags.getTags(compat, "compat") : compat ? tags.getTags(null, compat) : null;
        this.name = typeof schema === "string" && schema || "core";
        this.knownTags = resolveKnownTags ? tags.coreKnownTags : {};
        this.tags = tags.getTags(customTags, this.name, merge);
        this.toStringOptions = toStringDefaults ?? null;
        Object.defineProperty(this, identity.MAP, { value: map.map });
        Object.defineProperty(this, identity.SCALAR, { value: string.string });
        Object.defineProperty(this, identity.SEQ, { value: seq.seq });
        this.sortMapEntries = typeof sortMapEntries === "function" ? sortMapEntries : sortMapEntries === true ? sortMapEntriesByKey : null;
      }
      clone() {
        const copy = Object.create(_Schema.prototype, Object.getOwnPropertyDescriptors(this));
        copy.tags = this.tags.slice();
        return copy;
      }
    };
    exports.Schema = Schema;
  }
});

// node_modules/yaml/dist/stringify/stringifyDocument.js
var require_stringifyDocument = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyDocument.js"(exports) {
    "use strict";
    var identity = require_identity();
    var stringify = require_stringify();
    var stringifyComment = require_stringifyComment();
    function stringifyDocument(doc, options) {
      const lines = [];
      let hasDirectives = options.directives === true;
      if (options.directives !== false && doc.directives) {
        const dir = doc.directives.toString(doc);
        if (dir) {
          lines.push(dir);
          hasDirectives = true;
        } else if (doc.directives.docStart)
          hasDirectives = true;
      }
      if (hasDirectives)
        lines.push("---");
      const ctx = stringify.createStringifyContext(doc, options);
      const { commentString } = ctx.options;
      if (doc.commentBefore) {
        if (lines.length !== 1)
          lines.unshift("");
        const cs = commentString(doc.commentBefore);
        lines.unshift(stringifyComment.indentComment(cs, ""));
      }
      let chompKeep = false;
      let contentComment = null;
      if (doc.contents) {
        if (identity.isNode(doc.contents)) {
          if (doc.contents.spaceBefore && hasDirectives)
            lines.push("");
          if (doc.contents.commentBefore) {
            const cs = commentString(doc.contents.commentBefore);
            lines.push(stringifyComment.indentComment(cs, ""));
          }
          ctx.forceBlockIndent = !!doc.comment;
          contentComment = doc.contents.comment;
        }
        const onChompKeep = contentComment ? void 0 : () => chompKeep = true;
        let body = stringify.stringify(doc.contents, ctx, () => contentComment = null, onChompKeep);
        if (contentComment)
          body += stringifyComment.lineComment(body, "", commentString(contentComment));
        if ((body[0] === "|" || body[0] === ">") && lines[lines.length - 1] === "---") {
          lines[lines.length - 1] = `--- ${body}`;
        } else
          lines.push(body);
      } else {
        lines.push(stringify.stringify(doc.contents, ctx));
      }
      if (doc.directives?.docEnd) {
        if (doc.comment) {
          const cs = commentString(doc.comment);
          if (cs.includes("\n")) {
            lines.push("...");
            lines.push(stringifyComment.indentComment(cs, ""));
          } else {
            lines.push(`... ${cs}`);
          }
        } else {
          lines.push("...");
        }
      } else {
        let dc = doc.comment;
        if (dc && chompKeep)
          dc = dc.replace(/^\n+/, "");
        if (dc) {
          if ((!chompKeep || contentComment) && lines[lines.length - 1] !== "")
            lines.push("");
          lines.push(stringifyComment.indentComment(commentString(dc), ""));
        }
      }
      return lines.join("\n") + "\n";
    }
    exports.stringifyDocument = stringifyDocument;
  }
});

// node_modules/yaml/dist/doc/Document.js
var require_Document = __commonJS({
  "node_modules/yaml/dist/doc/Document.js"(exports) {
    "use strict";
    var Alias = require_Alias();
    var Collection = require_Collection();
    var identity = require_identity();
    var Pair = require_Pair();
    var toJS = require_toJS();
    var Schema = require_Schema();
    var stringifyDocument = require_stringifyDocument();
    var anchors = require_anchors();
    var applyReviver = require_applyReviver();
    var createNode = require_createNode();
    var directives = require_directives();
    var Document2 = class _Document {
      constructor(value, replacer, options) {
        this.commentBefore = null;
        this.comment = null;
        this.errors = [];
        this.warnings = [];
        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.DOC });
        let _replacer = null;
        if (typeof replacer === "function" || Array.isArray(replacer)) {
          _replacer = replacer;
        } else if (options === void 0 && replacer) {
          options = replacer;
          replacer = void 0;
        }
        const opt = Object.assign({
          intAsBigInt: false,
          keepSourceTokens: false,
          logLevel: "warn",
          prettyErrors: true,
          strict: true,
          stringKeys: false,
          uniqueKeys: true,
          version: "1.2"
        }, options);
        this.options = opt;
        let { version } = opt;
        if (options?._directives) {
          this.directives = options._directives.atDocument();
          if (this.directives.yaml.explicit)
            version = this.directives.yaml.version;
        } else
          this.directives = new directives.Directives({ version });
        this.setSchema(version, options);
        this.contents = value === void 0 ? null : this.createNode(value, _replacer, options);
      }
      /**
       * Create a deep copy of this Document and its contents.
       *
       * Custom Node values that inherit from `Object` still refer to their original instances.
       */
      clone() {
        const copy = Object.create(_Document.prototype, {
          [identity.NODE_TYPE]: { value: identity.DOC }
        });
        copy.commentBefore = this.commentBefore;
        copy.comment = this.comment;
        copy.errors = this.errors.slice();
        copy.warnings = this.warnings.slice();
        copy.options = Object.assign({}, this.options);
        if (this.directives)
          copy.directives = this.directives.clone();
        copy.schema = this.schema.clone();
        copy.contents = identity.isNode(this.contents) ? this.contents.clone(copy.schema) : this.contents;
        if (this.range)
          copy.range = this.range.slice();
        return copy;
      }
      /** Adds a value to the document. */
      add(value) {
        if (assertCollection(this.contents))
          this.contents.add(value);
      }
      /** Adds a value to the document. */
      addIn(path, value) {
        if (assertCollection(this.contents))
          this.contents.addIn(path, value);
      }
      /**
       * Create a new `Alias` node, ensuring that the target `node` has the required anchor.
       *
       * If `node` already has an anchor, `name` is ignored.
       * Otherwise, the `node.anchor` value will be set to `name`,
       * or if an anchor with that name is already present in the document,
       * `name` will be used as a prefix for a new unique anchor.
       * If `name` is undefined, the generated anchor will use 'a' as a prefix.
       */
      createAlias(node, name) {
        if (!node.anchor) {
          const prev = anchors.anchorNames(this);
          node.anchor = // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
          !name || prev.has(name) ? anchors.findNewAnchor(name || "a", prev) : name;
        }
        return new Alias.Alias(node.anchor);
      }
      createNode(value, replacer, options) {
        let _replacer = void 0;
        if (typeof replacer === "function") {
          value = replacer.call({ "": value }, "", value);
          _replacer = replacer;
        } else if (Array.isArray(replacer)) {
          const keyToStr = (v) => typeof v === "number" || v instanceof String || v instanceof Number;
          const asStr = replacer.filter(keyToStr).map(String);
          if (asStr.length > 0)
            replacer = replacer.concat(asStr);
          _replacer = replacer;
        } else if (options === void 0 && replacer) {
          options = replacer;
          replacer = void 0;
        }
        const { aliasDuplicateObjects, anchorPrefix, flow, keepUndefined, onTagObj, tag } = options ?? {};
        const { onAnchor, setAnchors, sourceObjects } = anchors.createNodeAnchors(
          this,
          // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
          anchorPrefix || "a"
        );
        const ctx = {
          aliasDuplicateObjects: aliasDuplicateObjects ?? true,
          keepUndefined: keepUndefined ?? false,
          onAnchor,
          onTagObj,
          replacer: _replacer,
          schema: this.schema,
          sourceObjects
        };
        const node = createNode.createNode(value, tag, ctx);
        if (flow && identity.isCollection(node))
          node.flow = true;
        setAnchors();
        return node;
      }
      /**
       * Convert a key and a value into a `Pair` using the current schema,
       * recursively wrapping all values as `Scalar` or `Collection` nodes.
       */
      createPair(key, value, options = {}) {
        const k = this.createNode(key, null, options);
        const v = this.createNode(value, null, options);
        return new Pair.Pair(k, v);
      }
      /**
       * Removes a value from the document.
       * @returns `true` if the item was found and removed.
       */
      delete(key) {
        return assertCollection(this.contents) ? this.contents.delete(key) : false;
      }
      /**
       * Removes a value from the document.
       * @returns `true` if the item was found and removed.
       */
      deleteIn(path) {
        if (Collection.isEmptyPath(path)) {
          if (this.contents == null)
            return false;
          this.contents = null;
          return true;
        }
        return assertCollection(this.contents) ? this.contents.deleteIn(path) : false;
      }
      /**
       * Returns item at `key`, or `undefined` if not found. By default unwraps
       * scalar values from their surrounding node; to disable set `keepScalar` to
       * `true` (collections are always returned intact).
       */
      get(key, keepScalar) {
        return identity.isCollection(this.contents) ? this.contents.get(key, keepScalar) : void 0;
      }
      /**
       * Returns item at `path`, or `undefined` if not found. By default unwraps
       * scalar values from their surrounding node; to disable set `keepScalar` to
       * `true` (collections are always returned intact).
       */
      getIn(path, keepScalar) {
        if (Collection.isEmptyPath(path))
          return !keepScalar && identity.isScalar(this.contents) ? this.contents.value : this.contents;
        return identity.isCollection(this.contents) ? this.contents.getIn(path, keepScalar) : void 0;
      }
      /**
       * Checks if the document includes a value with the key `key`.
       */
      has(key) {
        return identity.isCollection(this.contents) ? this.contents.has(key) : false;
      }
      /**
       * Checks if the document includes a value at `path`.
       */
      hasIn(path) {
        if (Collection.isEmptyPath(path))
          return this.contents !== void 0;
        return identity.isCollection(this.contents) ? this.contents.hasIn(path) : false;
      }
      /**
       * Sets a value in this document. For `!!set`, `value` needs to be a
       * boolean to add/remove the item from the set.
       */
      set(key, value) {
        if (this.contents == null) {
          this.contents = Collection.collectionFromPath(this.schema, [key], value);
        } else if (assertCollection(this.contents)) {
          this.contents.set(key, value);
        }
      }
      /**
       * Sets a value in this document. For `!!set`, `value` needs to be a
       * boolean to add/remove the item from the set.
       */
      setIn(path, value) {
        if (Collection.isEmptyPath(path)) {
          this.contents = value;
        } else if (this.contents == null) {
          this.contents = Collection.collectionFromPath(this.schema, Array.from(path), value);
        } else if (assertCollection(this.contents)) {
          this.contents.setIn(path, value);
        }
      }
      /**
       * Change the YAML version and schema used by the document.
       * A `null` version disables support for directives, explicit tags, anchors, and aliases.
       * It also requires the `schema` option to be given as a `Schema` instance value.
       *
       * Overrides all previously set schema options.
       */
      setSchema(version, options = {}) {
        if (typeof version === "number")
          version = String(version);
        let opt;
        switch (version) {
          case "1.1":
            if (this.directives)
              this.directives.yaml.version = "1.1";
            else
              this.directives = new directives.Directives({ version: "1.1" });
            opt = { resolveKnownTags: false, schema: "yaml-1.1" };
            break;
          case "1.2":
          case "next":
            if (this.directives)
              this.directives.yaml.version = version;
            else
              this.directives = new directives.Directives({ version });
            opt = { resolveKnownTags: true, schema: "core" };
            break;
          case null:
            if (this.directives)
              delete this.directives;
            opt = null;
            break;
          default: {
            const sv = JSON.stringify(version);
            throw new Error(`Expected '1.1', '1.2' or null as first argument, but found: ${sv}`);
          }
        }
        if (options.schema instanceof Object)
          this.schema = options.schema;
        else if (opt)
          this.schema = new Schema.Schema(Object.assign(opt, options));
        else
          throw new Error(`With a null YAML version, the { schema: Schema } option is required`);
      }
      // json & jsonArg are only used from toJSON()
      toJS({ json, jsonArg, mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
        const ctx = {
          anchors: /* @__PURE__ */ new Map(),
          doc: this,
          keep: !json,
          mapAsMap: mapAsMap === true,
          mapKeyWarned: false,
          maxAliasCount: typeof maxAliasCount === "number" ? maxAliasCount : 100
        };
        const res = toJS.toJS(this.contents, jsonArg ?? "", ctx);
        if (typeof onAnchor === "function")
          for (const { count, res: res2 } of ctx.anchors.values())
            onAnchor(res2, count);
        return typeof reviver === "function" ? applyReviver.applyReviver(reviver, { "": res }, "", res) : res;
      }
      /**
       * A JSON representation of the document `contents`.
       *
       * @param jsonArg Used by `JSON.stringify` to indicate the array index or
       *   property name.
       */
      toJSON(jsonArg, onAnchor) {
        return this.toJS({ json: true, jsonArg, mapAsMap: false, onAnchor });
      }
      /** A YAML representation of the document. */
      toString(options = {}) {
        if (this.errors.length > 0)
          throw new Error("Document with errors cannot be stringified");
        if ("indent" in options && (!Number.isInteger(options.indent) || Number(options.indent) <= 0)) {
          const s = JSON.stringify(options.indent);
          throw new Error(`"indent" option must be a positive integer, not ${s}`);
        }
        return stringifyDocument.stringifyDocument(this, options);
      }
    };
    function assertCollection(contents) {
      if (identity.isCollection(contents))
        return true;
      throw new Error("Expected a YAML collection as document contents");
    }
    exports.Document = Document2;
  }
});

// node_modules/yaml/dist/errors.js
var require_errors2 = __commonJS({
  "node_modules/yaml/dist/errors.js"(exports) {
    "use strict";
    var YAMLError = class extends Error {
      constructor(name, pos, code2, message) {
        super();
        this.name = name;
        this.code = code2;
        this.message = message;
        this.pos = pos;
      }
    };
    var YAMLParseError2 = class extends YAMLError {
      constructor(pos, code2, message) {
        super("YAMLParseError", pos, code2, message);
      }
    };
    var YAMLWarning = class extends YAMLError {
      constructor(pos, code2, message) {
        super("YAMLWarning", pos, code2, message);
      }
    };
    var prettifyError = (src, lc) => (error) => {
      if (error.pos[0] === -1)
        return;
      error.linePos = error.pos.map((pos) => lc.linePos(pos));
      const { line, col } = error.linePos[0];
      error.message += ` at line ${line}, column ${col}`;
      let ci = col - 1;
      let lineStr = src.substring(lc.lineStarts[line - 1], lc.lineStarts[line]).replace(/[\n\r]+$/, "");
      if (ci >= 60 && lineStr.length > 80) {
        const trimStart = Math.min(ci - 39, lineStr.length - 79);
        lineStr = "\u2026" + lineStr.substring(trimStart);
        ci -= trimStart - 1;
      }
      if (lineStr.length > 80)
        lineStr = lineStr.substring(0, 79) + "\u2026";
      if (line > 1 && /^ *$/.test(lineStr.substring(0, ci))) {
        let prev = src.substring(lc.lineStarts[line - 2], lc.lineStarts[line - 1]);
        if (prev.length > 80)
          prev = prev.substring(0, 79) + "\u2026\n";
        lineStr = prev + lineStr;
      }
      if (/[^ ]/.test(lineStr)) {
        let count = 1;
        const end = error.linePos[1];
        if (end?.line === line && end.col > col) {
          count = Math.max(1, Math.min(end.col - col, 80 - ci));
        }
        const pointer = " ".repeat(ci) + "^".repeat(count);
        error.message += `:

${lineStr}
${pointer}
`;
      }
    };
    exports.YAMLError = YAMLError;
    exports.YAMLParseError = YAMLParseError2;
    exports.YAMLWarning = YAMLWarning;
    exports.prettifyError = prettifyError;
  }
});

// node_modules/yaml/dist/compose/resolve-props.js
var require_resolve_props = __commonJS({
  "node_modules/yaml/dist/compose/resolve-props.js"(exports) {
    "use strict";
    function resolveProps(tokens, { flow, indicator, next, offset, onError, parentIndent, startOnNewline }) {
      let spaceBefore = false;
      let atNewline = startOnNewline;
      let hasSpace = startOnNewline;
      let comment = "";
      let commentSep = "";
      let hasNewline = false;
      let reqSpace = false;
      let tab = null;
      let anchor = null;
      let tag = null;
      let newlineAfterProp = null;
      let comma = null;
      let found = null;
      let start = null;
      for (const token2 of tokens) {
        if (reqSpace) {
          if (token2.type !== "space" && token2.type !== "newline" && token2.type !== "comma")
            onError(token2.offset, "MISSING_CHAR", "Tags and anchors must be separated from the next token by white space");
          reqSpace = false;
        }
        if (tab) {
          if (atNewline && token2.type !== "comment" && token2.type !== "newline") {
            onError(tab, "TAB_AS_INDENT", "Tabs are not allowed as indentation");
          }
          tab = null;
        }
        switch (token2.type) {
          case "space":
            if (!flow && (indicator !== "doc-start" || next?.type !== "flow-collection") && token2.source.includes("	")) {
              tab = token2;
            }
            hasSpace = true;
            break;
          case "comment": {
            if (!hasSpace)
              onError(token2, "MISSING_CHAR", "Comments must be separated from other tokens by white space characters");
            const cb = token2.source.substring(1) || " ";
            if (!comment)
              comment = cb;
            else
              comment += commentSep + cb;
            commentSep = "";
            atNewline = false;
            break;
          }
          case "newline":
            if (atNewline) {
              if (comment)
                comment += token2.source;
              else if (!found || indicator !== "seq-item-ind")
                spaceBefore = true;
            } else
              commentSep += token2.source;
            atNewline = true;
            hasNewline = true;
            if (anchor || tag)
              newlineAfterProp = token2;
            hasSpace = true;
            break;
          case "anchor":
            if (anchor)
              onError(token2, "MULTIPLE_ANCHORS", "A node can have at most one anchor");
            if (token2.source.endsWith(":"))
              onError(token2.offset + token2.source.length - 1, "BAD_ALIAS", "Anchor ending in : is ambiguous", true);
            anchor = token2;
            start ?? (start = token2.offset);
            atNewline = false;
            hasSpace = false;
            reqSpace = true;
            break;
          case "tag": {
            if (tag)
              onError(token2, "MULTIPLE_TAGS", "A node can have at most one tag");
            tag = token2;
            start ?? (start = token2.offset);
            atNewline = false;
            hasSpace = false;
            reqSpace = true;
            break;
          }
          case indicator:
            if (anchor || tag)
              onError(token2, "BAD_PROP_ORDER", `Anchors and tags must be after the ${token2.source} indicator`);
            if (found)
              onError(token2, "UNEXPECTED_TOKEN", `Unexpected ${token2.source} in ${flow ?? "collection"}`);
            found = token2;
            atNewline = indicator === "seq-item-ind" || indicator === "explicit-key-ind";
            hasSpace = false;
            break;
          case "comma":
            if (flow) {
              if (comma)
                onError(token2, "UNEXPECTED_TOKEN", `Unexpected , in ${flow}`);
              comma = token2;
              atNewline = false;
              hasSpace = false;
              break;
            }
          // else fallthrough
          default:
            onError(token2, "UNEXPECTED_TOKEN", `Unexpected ${token2.type} token`);
            atNewline = false;
            hasSpace = false;
        }
      }
      const last = tokens[tokens.length - 1];
      const end = last ? last.offset + last.source.length : offset;
      if (reqSpace && next && next.type !== "space" && next.type !== "newline" && next.type !== "comma" && (next.type !== "scalar" || next.source !== "")) {
        onError(next.offset, "MISSING_CHAR", "Tags and anchors must be separated from the next token by white space");
      }
      if (tab && (atNewline && tab.indent <= parentIndent || next?.type === "block-map" || next?.type === "block-seq"))
        onError(tab, "TAB_AS_INDENT", "Tabs are not allowed as indentation");
      return {
        comma,
        found,
        spaceBefore,
        comment,
        hasNewline,
        anchor,
        tag,
        newlineAfterProp,
        end,
        start: start ?? end
      };
    }
    exports.resolveProps = resolveProps;
  }
});

// node_modules/yaml/dist/compose/util-contains-newline.js
var require_util_contains_newline = __commonJS({
  "node_modules/yaml/dist/compose/util-contains-newline.js"(exports) {
    "use strict";
    function containsNewline(key) {
      if (!key)
        return null;
      switch (key.type) {
        case "alias":
        case "scalar":
        case "double-quoted-scalar":
        case "single-quoted-scalar":
          if (key.source.includes("\n"))
            return true;
          if (key.end) {
            for (const st of key.end)
              if (st.type === "newline")
                return true;
          }
          return false;
        case "flow-collection":
          for (const it of key.items) {
            for (const st of it.start)
              if (st.type === "newline")
                return true;
            if (it.sep) {
              for (const st of it.sep)
                if (st.type === "newline")
                  return true;
            }
            if (containsNewline(it.key) || containsNewline(it.value))
              return true;
          }
          return false;
        default:
          return true;
      }
    }
    exports.containsNewline = containsNewline;
  }
});

// node_modules/yaml/dist/compose/util-flow-indent-check.js
var require_util_flow_indent_check = __commonJS({
  "node_modules/yaml/dist/compose/util-flow-indent-check.js"(exports) {
    "use strict";
    var utilContainsNewline = require_util_contains_newline();
    function flowIndentCheck(indent, fc, onError) {
      if (fc?.type === "flow-collection") {
        const end = fc.end[0];
        if (end.indent === indent && (end.source === "]" || end.source === "}") && utilContainsNewline.containsNewline(fc)) {
          const msg = "Flow end indicator should be more indented than parent";
          onError(end, "BAD_INDENT", msg, true);
        }
      }
    }
    exports.flowIndentCheck = flowIndentCheck;
  }
});

// node_modules/yaml/dist/compose/util-map-includes.js
var require_util_map_includes = __commonJS({
  "node_modules/yaml/dist/compose/util-map-includes.js"(exports) {
    "use strict";
    var identity = require_identity();
    function mapIncludes(ctx, items, search) {
      const { uniqueKeys } = ctx.options;
      if (uniqueKeys === false)
        return false;
      const isEqual = typeof uniqueKeys === "function" ? uniqueKeys : (a, b) => a === b || identity.isScalar(a) && identity.isScalar(b) && a.value === b.value;
      return items.some((pair) => isEqual(pair.key, search));
    }
    exports.mapIncludes = mapIncludes;
  }
});

// node_modules/yaml/dist/compose/resolve-block-map.js
var require_resolve_block_map = __commonJS({
  "node_modules/yaml/dist/compose/resolve-block-map.js"(exports) {
    "use strict";
    var Pair = require_Pair();
    var YAMLMap = require_YAMLMap();
    var resolveProps = require_resolve_props();
    var utilContainsNewline = require_util_contains_newline();
    var utilFlowIndentCheck = require_util_flow_indent_check();
    var utilMapIncludes = require_util_map_includes();
    var startColMsg = "All mapping items must start at the same column";
    function resolveBlockMap({ composeNode, composeEmptyNode }, ctx, bm, onError, tag) {
      const NodeClass = tag?.nodeClass ?? YAMLMap.YAMLMap;
      const map = new NodeClass(ctx.schema);
      if (ctx.atRoot)
        ctx.atRoot = false;
      let offset = bm.offset;
      let commentEnd = null;
      for (const collItem of bm.items) {
        const { start, key, sep: sep2, value } = collItem;
        const keyProps = resolveProps.resolveProps(start, {
          indicator: "explicit-key-ind",
          next: key ?? sep2?.[0],
          offset,
          onError,
          parentIndent: bm.indent,
          startOnNewline: true
        });
        const implicitKey = !keyProps.found;
        if (implicitKey) {
          if (key) {
            if (key.type === "block-seq")
              onError(offset, "BLOCK_AS_IMPLICIT_KEY", "A block sequence may not be used as an implicit map key");
            else if ("indent" in key && key.indent !== bm.indent)
              onError(offset, "BAD_INDENT", startColMsg);
          }
          if (!keyProps.anchor && !keyProps.tag && !sep2) {
            commentEnd = keyProps.end;
            if (keyProps.comment) {
              if (map.comment)
                map.comment += "\n" + keyProps.comment;
              else
                map.comment = keyProps.comment;
            }
            continue;
          }
          if (keyProps.newlineAfterProp || utilContainsNewline.containsNewline(key)) {
            onError(key ?? start[start.length - 1], "MULTILINE_IMPLICIT_KEY", "Implicit keys need to be on a single line");
          }
        } else if (keyProps.found?.indent !== bm.indent) {
          onError(offset, "BAD_INDENT", startColMsg);
        }
        ctx.atKey = true;
        const keyStart = keyProps.end;
        const keyNode = key ? composeNode(ctx, key, keyProps, onError) : composeEmptyNode(ctx, keyStart, start, null, keyProps, onError);
        if (ctx.schema.compat)
          utilFlowIndentCheck.flowIndentCheck(bm.indent, key, onError);
        ctx.atKey = false;
        if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
          onError(keyStart, "DUPLICATE_KEY", "Map keys must be unique");
        const valueProps = resolveProps.resolveProps(sep2 ?? [], {
          indicator: "map-value-ind",
          next: value,
          offset: keyNode.range[2],
          onError,
          parentIndent: bm.indent,
          startOnNewline: !key || key.type === "block-scalar"
        });
        offset = valueProps.end;
        if (valueProps.found) {
          if (implicitKey) {
            if (value?.type === "block-map" && !valueProps.hasNewline)
              onError(offset, "BLOCK_AS_IMPLICIT_KEY", "Nested mappings are not allowed in compact mappings");
            if (ctx.options.strict && keyProps.start < valueProps.found.offset - 1024)
              onError(keyNode.range, "KEY_OVER_1024_CHARS", "The : indicator must be at most 1024 chars after the start of an implicit block mapping key");
          }
          const valueNode = value ? composeNode(ctx, value, valueProps, onError) : composeEmptyNode(ctx, offset, sep2, null, valueProps, onError);
          if (ctx.schema.compat)
            utilFlowIndentCheck.flowIndentCheck(bm.indent, value, onError);
          offset = valueNode.range[2];
          const pair = new Pair.Pair(keyNode, valueNode);
          if (ctx.options.keepSourceTokens)
            pair.srcToken = collItem;
          map.items.push(pair);
        } else {
          if (implicitKey)
            onError(keyNode.range, "MISSING_CHAR", "Implicit map keys need to be followed by map values");
          if (valueProps.comment) {
            if (keyNode.comment)
              keyNode.comment += "\n" + valueProps.comment;
            else
              keyNode.comment = valueProps.comment;
          }
          const pair = new Pair.Pair(keyNode);
          if (ctx.options.keepSourceTokens)
            pair.srcToken = collItem;
          map.items.push(pair);
        }
      }
      if (commentEnd && commentEnd < offset)
        onError(commentEnd, "IMPOSSIBLE", "Map comment with trailing content");
      map.range = [bm.offset, offset, commentEnd ?? offset];
      return map;
    }
    exports.resolveBlockMap = resolveBlockMap;
  }
});

// node_modules/yaml/dist/compose/resolve-block-seq.js
var require_resolve_block_seq = __commonJS({
  "node_modules/yaml/dist/compose/resolve-block-seq.js"(exports) {
    "use strict";
    var YAMLSeq = require_YAMLSeq();
    var resolveProps = require_resolve_props();
    var utilFlowIndentCheck = require_util_flow_indent_check();
    function resolveBlockSeq({ composeNode, composeEmptyNode }, ctx, bs, onError, tag) {
      const NodeClass = tag?.nodeClass ?? YAMLSeq.YAMLSeq;
      const seq = new NodeClass(ctx.schema);
      if (ctx.atRoot)
        ctx.atRoot = false;
      if (ctx.atKey)
        ctx.atKey = false;
      let offset = bs.offset;
      let commentEnd = null;
      for (const { start, value } of bs.items) {
        const props = resolveProps.resolveProps(start, {
          indicator: "seq-item-ind",
          next: value,
          offset,
          onError,
          parentIndent: bs.indent,
          startOnNewline: true
        });
        if (!props.found) {
          if (props.anchor || props.tag || value) {
            if (value?.type === "block-seq")
              onError(props.end, "BAD_INDENT", "All sequence items must start at the same column");
            else
              onError(offset, "MISSING_CHAR", "Sequence item without - indicator");
          } else {
            commentEnd = props.end;
            if (props.comment)
              seq.comment = props.comment;
            continue;
          }
        }
        const node = value ? composeNode(ctx, value, props, onError) : composeEmptyNode(ctx, props.end, start, null, props, onError);
        if (ctx.schema.compat)
          utilFlowIndentCheck.flowIndentCheck(bs.indent, value, onError);
        offset = node.range[2];
        seq.items.push(node);
      }
      seq.range = [bs.offset, offset, commentEnd ?? offset];
      return seq;
    }
    exports.resolveBlockSeq = resolveBlockSeq;
  }
});

// node_modules/yaml/dist/compose/resolve-end.js
var require_resolve_end = __commonJS({
  "node_modules/yaml/dist/compose/resolve-end.js"(exports) {
    "use strict";
    function resolveEnd(end, offset, reqSpace, onError) {
      let comment = "";
      if (end) {
        let hasSpace = false;
        let sep2 = "";
        for (const token2 of end) {
          const { source, type } = token2;
          switch (type) {
            case "space":
              hasSpace = true;
              break;
            case "comment": {
              if (reqSpace && !hasSpace)
                onError(token2, "MISSING_CHAR", "Comments must be separated from other tokens by white space characters");
              const cb = source.substring(1) || " ";
              if (!comment)
                comment = cb;
              else
                comment += sep2 + cb;
              sep2 = "";
              break;
            }
            case "newline":
              if (comment)
                sep2 += source;
              hasSpace = true;
              break;
            default:
              onError(token2, "UNEXPECTED_TOKEN", `Unexpected ${type} at node end`);
          }
          offset += source.length;
        }
      }
      return { comment, offset };
    }
    exports.resolveEnd = resolveEnd;
  }
});

// node_modules/yaml/dist/compose/resolve-flow-collection.js
var require_resolve_flow_collection = __commonJS({
  "node_modules/yaml/dist/compose/resolve-flow-collection.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Pair = require_Pair();
    var YAMLMap = require_YAMLMap();
    var YAMLSeq = require_YAMLSeq();
    var resolveEnd = require_resolve_end();
    var resolveProps = require_resolve_props();
    var utilContainsNewline = require_util_contains_newline();
    var utilMapIncludes = require_util_map_includes();
    var blockMsg = "Block collections are not allowed within flow collections";
    var isBlock = (token2) => token2 && (token2.type === "block-map" || token2.type === "block-seq");
    function resolveFlowCollection({ composeNode, composeEmptyNode }, ctx, fc, onError, tag) {
      const isMap10 = fc.start.source === "{";
      const fcName = isMap10 ? "flow map" : "flow sequence";
      const NodeClass = tag?.nodeClass ?? (isMap10 ? YAMLMap.YAMLMap : YAMLSeq.YAMLSeq);
      const coll = new NodeClass(ctx.schema);
      coll.flow = true;
      const atRoot = ctx.atRoot;
      if (atRoot)
        ctx.atRoot = false;
      if (ctx.atKey)
        ctx.atKey = false;
      let offset = fc.offset + fc.start.source.length;
      for (let i = 0; i < fc.items.length; ++i) {
        const collItem = fc.items[i];
        const { start, key, sep: sep2, value } = collItem;
        const props = resolveProps.resolveProps(start, {
          flow: fcName,
          indicator: "explicit-key-ind",
          next: key ?? sep2?.[0],
          offset,
          onError,
          parentIndent: fc.indent,
          startOnNewline: false
        });
        if (!props.found) {
          if (!props.anchor && !props.tag && !sep2 && !value) {
            if (i === 0 && props.comma)
              onError(props.comma, "UNEXPECTED_TOKEN", `Unexpected , in ${fcName}`);
            else if (i < fc.items.length - 1)
              onError(props.start, "UNEXPECTED_TOKEN", `Unexpected empty item in ${fcName}`);
            if (props.comment) {
              if (coll.comment)
                coll.comment += "\n" + props.comment;
              else
                coll.comment = props.comment;
            }
            offset = props.end;
            continue;
          }
          if (!isMap10 && ctx.options.strict && utilContainsNewline.containsNewline(key))
            onError(
              key,
              // checked by containsNewline()
              "MULTILINE_IMPLICIT_KEY",
              "Implicit keys of flow sequence pairs need to be on a single line"
            );
        }
        if (i === 0) {
          if (props.comma)
            onError(props.comma, "UNEXPECTED_TOKEN", `Unexpected , in ${fcName}`);
        } else {
          if (!props.comma)
            onError(props.start, "MISSING_CHAR", `Missing , between ${fcName} items`);
          if (props.comment) {
            let prevItemComment = "";
            loop: for (const st of start) {
              switch (st.type) {
                case "comma":
                case "space":
                  break;
                case "comment":
                  prevItemComment = st.source.substring(1);
                  break loop;
                default:
                  break loop;
              }
            }
            if (prevItemComment) {
              let prev = coll.items[coll.items.length - 1];
              if (identity.isPair(prev))
                prev = prev.value ?? prev.key;
              if (prev.comment)
                prev.comment += "\n" + prevItemComment;
              else
                prev.comment = prevItemComment;
              props.comment = props.comment.substring(prevItemComment.length + 1);
            }
          }
        }
        if (!isMap10 && !sep2 && !props.found) {
          const valueNode = value ? composeNode(ctx, value, props, onError) : composeEmptyNode(ctx, props.end, sep2, null, props, onError);
          coll.items.push(valueNode);
          offset = valueNode.range[2];
          if (isBlock(value))
            onError(valueNode.range, "BLOCK_IN_FLOW", blockMsg);
        } else {
          ctx.atKey = true;
          const keyStart = props.end;
          const keyNode = key ? composeNode(ctx, key, props, onError) : composeEmptyNode(ctx, keyStart, start, null, props, onError);
          if (isBlock(key))
            onError(keyNode.range, "BLOCK_IN_FLOW", blockMsg);
          ctx.atKey = false;
          const valueProps = resolveProps.resolveProps(sep2 ?? [], {
            flow: fcName,
            indicator: "map-value-ind",
            next: value,
            offset: keyNode.range[2],
            onError,
            parentIndent: fc.indent,
            startOnNewline: false
          });
          if (valueProps.found) {
            if (!isMap10 && !props.found && ctx.options.strict) {
              if (sep2)
                for (const st of sep2) {
                  if (st === valueProps.found)
                    break;
                  if (st.type === "newline") {
                    onError(st, "MULTILINE_IMPLICIT_KEY", "Implicit keys of flow sequence pairs need to be on a single line");
                    break;
                  }
                }
              if (props.start < valueProps.found.offset - 1024)
                onError(valueProps.found, "KEY_OVER_1024_CHARS", "The : indicator must be at most 1024 chars after the start of an implicit flow sequence key");
            }
          } else if (value) {
            if ("source" in value && value.source?.[0] === ":")
              onError(value, "MISSING_CHAR", `Missing space after : in ${fcName}`);
            else
              onError(valueProps.start, "MISSING_CHAR", `Missing , or : between ${fcName} items`);
          }
          const valueNode = value ? composeNode(ctx, value, valueProps, onError) : valueProps.found ? composeEmptyNode(ctx, valueProps.end, sep2, null, valueProps, onError) : null;
          if (valueNode) {
            if (isBlock(value))
              onError(valueNode.range, "BLOCK_IN_FLOW", blockMsg);
          } else if (valueProps.comment) {
            if (keyNode.comment)
              keyNode.comment += "\n" + valueProps.comment;
            else
              keyNode.comment = valueProps.comment;
          }
          const pair = new Pair.Pair(keyNode, valueNode);
          if (ctx.options.keepSourceTokens)
            pair.srcToken = collItem;
          if (isMap10) {
            const map = coll;
            if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
              onError(keyStart, "DUPLICATE_KEY", "Map keys must be unique");
            map.items.push(pair);
          } else {
            const map = new YAMLMap.YAMLMap(ctx.schema);
            map.flow = true;
            map.items.push(pair);
            const endRange = (valueNode ?? keyNode).range;
            map.range = [keyNode.range[0], endRange[1], endRange[2]];
            coll.items.push(map);
          }
          offset = valueNode ? valueNode.range[2] : valueProps.end;
        }
      }
      const expectedEnd = isMap10 ? "}" : "]";
      const [ce, ...ee] = fc.end;
      let cePos = offset;
      if (ce?.source === expectedEnd)
        cePos = ce.offset + ce.source.length;
      else {
        const name = fcName[0].toUpperCase() + fcName.substring(1);
        const msg = atRoot ? `${name} must end with a ${expectedEnd}` : `${name} in block collection must be sufficiently indented and end with a ${expectedEnd}`;
        onError(offset, atRoot ? "MISSING_CHAR" : "BAD_INDENT", msg);
        if (ce && ce.source.length !== 1)
          ee.unshift(ce);
      }
      if (ee.length > 0) {
        const end = resolveEnd.resolveEnd(ee, cePos, ctx.options.strict, onError);
        if (end.comment) {
          if (coll.comment)
            coll.comment += "\n" + end.comment;
          else
            coll.comment = end.comment;
        }
        coll.range = [fc.offset, cePos, end.offset];
      } else {
        coll.range = [fc.offset, cePos, cePos];
      }
      return coll;
    }
    exports.resolveFlowCollection = resolveFlowCollection;
  }
});

// node_modules/yaml/dist/compose/compose-collection.js
var require_compose_collection = __commonJS({
  "node_modules/yaml/dist/compose/compose-collection.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Scalar2 = require_Scalar();
    var YAMLMap = require_YAMLMap();
    var YAMLSeq = require_YAMLSeq();
    var resolveBlockMap = require_resolve_block_map();
    var resolveBlockSeq = require_resolve_block_seq();
    var resolveFlowCollection = require_resolve_flow_collection();
    function resolveCollection(CN, ctx, token2, onError, tagName, tag) {
      const coll = token2.type === "block-map" ? resolveBlockMap.resolveBlockMap(CN, ctx, token2, onError, tag) : token2.type === "block-seq" ? resolveBlockSeq.resolveBlockSeq(CN, ctx, token2, onError, tag) : resolveFlowCollection.resolveFlowCollection(CN, ctx, token2, onError, tag);
      const Coll = coll.constructor;
      if (tagName === "!" || tagName === Coll.tagName) {
        coll.tag = Coll.tagName;
        return coll;
      }
      if (tagName)
        coll.tag = tagName;
      return coll;
    }
    function composeCollection(CN, ctx, token2, props, onError) {
      const tagToken = props.tag;
      const tagName = !tagToken ? null : ctx.directives.tagName(tagToken.source, (msg) => onError(tagToken, "TAG_RESOLVE_FAILED", msg));
      if (token2.type === "block-seq") {
        const { anchor, newlineAfterProp: nl } = props;
        const lastProp = anchor && tagToken ? anchor.offset > tagToken.offset ? anchor : tagToken : anchor ?? tagToken;
        if (lastProp && (!nl || nl.offset < lastProp.offset)) {
          const message = "Missing newline after block sequence props";
          onError(lastProp, "MISSING_CHAR", message);
        }
      }
      const expType = token2.type === "block-map" ? "map" : token2.type === "block-seq" ? "seq" : token2.start.source === "{" ? "map" : "seq";
      if (!tagToken || !tagName || tagName === "!" || tagName === YAMLMap.YAMLMap.tagName && expType === "map" || tagName === YAMLSeq.YAMLSeq.tagName && expType === "seq") {
        return resolveCollection(CN, ctx, token2, onError, tagName);
      }
      let tag = ctx.schema.tags.find((t) => t.tag === tagName && t.collection === expType);
      if (!tag) {
        const kt = ctx.schema.knownTags[tagName];
        if (kt?.collection === expType) {
          ctx.schema.tags.push(Object.assign({}, kt, { default: false }));
          tag = kt;
        } else {
          if (kt) {
            onError(tagToken, "BAD_COLLECTION_TYPE", `${kt.tag} used for ${expType} collection, but expects ${kt.collection ?? "scalar"}`, true);
          } else {
            onError(tagToken, "TAG_RESOLVE_FAILED", `Unresolved tag: ${tagName}`, true);
          }
          return resolveCollection(CN, ctx, token2, onError, tagName);
        }
      }
      const coll = resolveCollection(CN, ctx, token2, onError, tagName, tag);
      const res = tag.resolve?.(coll, (msg) => onError(tagToken, "TAG_RESOLVE_FAILED", msg), ctx.options) ?? coll;
      const node = identity.isNode(res) ? res : new Scalar2.Scalar(res);
      node.range = coll.range;
      node.tag = tagName;
      if (tag?.format)
        node.format = tag.format;
      return node;
    }
    exports.composeCollection = composeCollection;
  }
});

// node_modules/yaml/dist/compose/resolve-block-scalar.js
var require_resolve_block_scalar = __commonJS({
  "node_modules/yaml/dist/compose/resolve-block-scalar.js"(exports) {
    "use strict";
    var Scalar2 = require_Scalar();
    function resolveBlockScalar(ctx, scalar, onError) {
      const start = scalar.offset;
      const header = parseBlockScalarHeader(scalar, ctx.options.strict, onError);
      if (!header)
        return { value: "", type: null, comment: "", range: [start, start, start] };
      const type = header.mode === ">" ? Scalar2.Scalar.BLOCK_FOLDED : Scalar2.Scalar.BLOCK_LITERAL;
      const lines = scalar.source ? splitLines3(scalar.source) : [];
      let chompStart = lines.length;
      for (let i = lines.length - 1; i >= 0; --i) {
        const content = lines[i][1];
        if (content === "" || content === "\r")
          chompStart = i;
        else
          break;
      }
      if (chompStart === 0) {
        const value2 = header.chomp === "+" && lines.length > 0 ? "\n".repeat(Math.max(1, lines.length - 1)) : "";
        let end2 = start + header.length;
        if (scalar.source)
          end2 += scalar.source.length;
        return { value: value2, type, comment: header.comment, range: [start, end2, end2] };
      }
      let trimIndent = scalar.indent + header.indent;
      let offset = scalar.offset + header.length;
      let contentStart = 0;
      for (let i = 0; i < chompStart; ++i) {
        const [indent, content] = lines[i];
        if (content === "" || content === "\r") {
          if (header.indent === 0 && indent.length > trimIndent)
            trimIndent = indent.length;
        } else {
          if (indent.length < trimIndent) {
            const message = "Block scalars with more-indented leading empty lines must use an explicit indentation indicator";
            onError(offset + indent.length, "MISSING_CHAR", message);
          }
          if (header.indent === 0)
            trimIndent = indent.length;
          contentStart = i;
          if (trimIndent === 0 && !ctx.atRoot) {
            const message = "Block scalar values in collections must be indented";
            onError(offset, "BAD_INDENT", message);
          }
          break;
        }
        offset += indent.length + content.length + 1;
      }
      for (let i = lines.length - 1; i >= chompStart; --i) {
        if (lines[i][0].length > trimIndent)
          chompStart = i + 1;
      }
      let value = "";
      let sep2 = "";
      let prevMoreIndented = false;
      for (let i = 0; i < contentStart; ++i)
        value += lines[i][0].slice(trimIndent) + "\n";
      for (let i = contentStart; i < chompStart; ++i) {
        let [indent, content] = lines[i];
        offset += indent.length + content.length + 1;
        const crlf = content[content.length - 1] === "\r";
        if (crlf)
          content = content.slice(0, -1);
        if (content && indent.length < trimIndent) {
          const src = header.indent ? "explicit indentation indicator" : "first line";
          const message = `Block scalar lines must not be less indented than their ${src}`;
          onError(offset - content.length - (crlf ? 2 : 1), "BAD_INDENT", message);
          indent = "";
        }
        if (type === Scalar2.Scalar.BLOCK_LITERAL) {
          value += sep2 + indent.slice(trimIndent) + content;
          sep2 = "\n";
        } else if (indent.length > trimIndent || content[0] === "	") {
          if (sep2 === " ")
            sep2 = "\n";
          else if (!prevMoreIndented && sep2 === "\n")
            sep2 = "\n\n";
          value += sep2 + indent.slice(trimIndent) + content;
          sep2 = "\n";
          prevMoreIndented = true;
        } else if (content === "") {
          if (sep2 === "\n")
            value += "\n";
          else
            sep2 = "\n";
        } else {
          value += sep2 + content;
          sep2 = " ";
          prevMoreIndented = false;
        }
      }
      switch (header.chomp) {
        case "-":
          break;
        case "+":
          for (let i = chompStart; i < lines.length; ++i)
            value += "\n" + lines[i][0].slice(trimIndent);
          if (value[value.length - 1] !== "\n")
            value += "\n";
          break;
        default:
          value += "\n";
      }
      const end = start + header.length + scalar.source.length;
      return { value, type, comment: header.comment, range: [start, end, end] };
    }
    function parseBlockScalarHeader({ offset, props }, strict, onError) {
      if (props[0].type !== "block-scalar-header") {
        onError(props[0], "IMPOSSIBLE", "Block scalar header not found");
        return null;
      }
      const { source } = props[0];
      const mode = source[0];
      let indent = 0;
      let chomp = "";
      let error = -1;
      for (let i = 1; i < source.length; ++i) {
        const ch = source[i];
        if (!chomp && (ch === "-" || ch === "+"))
          chomp = ch;
        else {
          const n = Number(ch);
          if (!indent && n)
            indent = n;
          else if (error === -1)
            error = offset + i;
        }
      }
      if (error !== -1)
        onError(error, "UNEXPECTED_TOKEN", `Block scalar header includes extra characters: ${source}`);
      let hasSpace = false;
      let comment = "";
      let length2 = source.length;
      for (let i = 1; i < props.length; ++i) {
        const token2 = props[i];
        switch (token2.type) {
          case "space":
            hasSpace = true;
          // fallthrough
          case "newline":
            length2 += token2.source.length;
            break;
          case "comment":
            if (strict && !hasSpace) {
              const message = "Comments must be separated from other tokens by white space characters";
              onError(token2, "MISSING_CHAR", message);
            }
            length2 += token2.source.length;
            comment = token2.source.substring(1);
            break;
          case "error":
            onError(token2, "UNEXPECTED_TOKEN", token2.message);
            length2 += token2.source.length;
            break;
          /* istanbul ignore next should not happen */
          default: {
            const message = `Unexpected token in block scalar header: ${token2.type}`;
            onError(token2, "UNEXPECTED_TOKEN", message);
            const ts = token2.source;
            if (ts && typeof ts === "string")
              length2 += ts.length;
          }
        }
      }
      return { mode, indent, chomp, comment, length: length2 };
    }
    function splitLines3(source) {
      const split = source.split(/\n( *)/);
      const first = split[0];
      const m = first.match(/^( *)/);
      const line0 = m?.[1] ? [m[1], first.slice(m[1].length)] : ["", first];
      const lines = [line0];
      for (let i = 1; i < split.length; i += 2)
        lines.push([split[i], split[i + 1]]);
      return lines;
    }
    exports.resolveBlockScalar = resolveBlockScalar;
  }
});

// node_modules/yaml/dist/compose/resolve-flow-scalar.js
var require_resolve_flow_scalar = __commonJS({
  "node_modules/yaml/dist/compose/resolve-flow-scalar.js"(exports) {
    "use strict";
    var Scalar2 = require_Scalar();
    var resolveEnd = require_resolve_end();
    function resolveFlowScalar(scalar, strict, onError) {
      const { offset, type, source, end } = scalar;
      let _type;
      let value;
      const _onError = (rel, code2, msg) => onError(offset + rel, code2, msg);
      switch (type) {
        case "scalar":
          _type = Scalar2.Scalar.PLAIN;
          value = plainValue2(source, _onError);
          break;
        case "single-quoted-scalar":
          _type = Scalar2.Scalar.QUOTE_SINGLE;
          value = singleQuotedValue(source, _onError);
          break;
        case "double-quoted-scalar":
          _type = Scalar2.Scalar.QUOTE_DOUBLE;
          value = doubleQuotedValue(source, _onError);
          break;
        /* istanbul ignore next should not happen */
        default:
          onError(scalar, "UNEXPECTED_TOKEN", `Expected a flow scalar value, but found: ${type}`);
          return {
            value: "",
            type: null,
            comment: "",
            range: [offset, offset + source.length, offset + source.length]
          };
      }
      const valueEnd = offset + source.length;
      const re2 = resolveEnd.resolveEnd(end, valueEnd, strict, onError);
      return {
        value,
        type: _type,
        comment: re2.comment,
        range: [offset, valueEnd, re2.offset]
      };
    }
    function plainValue2(source, onError) {
      let badChar = "";
      switch (source[0]) {
        /* istanbul ignore next should not happen */
        case "	":
          badChar = "a tab character";
          break;
        case ",":
          badChar = "flow indicator character ,";
          break;
        case "%":
          badChar = "directive indicator character %";
          break;
        case "|":
        case ">": {
          badChar = `block scalar indicator ${source[0]}`;
          break;
        }
        case "@":
        case "`": {
          badChar = `reserved character ${source[0]}`;
          break;
        }
      }
      if (badChar)
        onError(0, "BAD_SCALAR_START", `Plain value cannot start with ${badChar}`);
      return unfoldLines(source);
    }
    function singleQuotedValue(source, onError) {
      if (source[source.length - 1] !== "'" || source.length === 1)
        onError(source.length, "MISSING_CHAR", "Missing closing 'quote");
      return unfoldLines(source.slice(1, -1)).replace(/''/g, "'");
    }
    function unfoldLines(source) {
      const line = /(.*?)\r?\n/sy;
      let match = line.exec(source);
      if (!match)
        return source;
      let trimEnd, trimBoth;
      try {
        trimEnd = new RegExp("(?<![ 	])[ 	]+$");
        trimBoth = new RegExp("^[ 	]+|(?<![ 	])[ 	]+$", "g");
      } catch {
        trimEnd = /[ \t]+$/;
        trimBoth = /^[ \t]+|[ \t]+$/g;
      }
      let res = match[1].replace(trimEnd, "");
      let sep2 = " ";
      let pos = line.lastIndex;
      while (match = line.exec(source)) {
        const lm = match[1].replace(trimBoth, "");
        if (lm === "") {
          if (sep2 === "\n")
            res += sep2;
          else
            sep2 = "\n";
        } else {
          res += sep2 + lm;
          sep2 = " ";
        }
        pos = line.lastIndex;
      }
      const last = /[ \t]*(.*)/sy;
      last.lastIndex = pos;
      match = last.exec(source);
      return res + sep2 + (match?.[1] ?? "");
    }
    function doubleQuotedValue(source, onError) {
      let res = "";
      for (let i = 1; i < source.length - 1; ++i) {
        const ch = source[i];
        if (ch === "\r" && source[i + 1] === "\n")
          continue;
        if (ch === "\n") {
          const { fold, offset } = foldNewline(source, i);
          res += fold;
          i = offset;
        } else if (ch === "\\") {
          let next = source[++i];
          const cc = escapeCodes[next];
          if (cc)
            res += cc;
          else if (next === "\n") {
            next = source[i + 1];
            while (next === " " || next === "	")
              next = source[++i + 1];
          } else if (next === "\r" && source[i + 1] === "\n") {
            next = source[++i + 1];
            while (next === " " || next === "	")
              next = source[++i + 1];
          } else if (next === "x" || next === "u" || next === "U") {
            const length2 = next === "x" ? 2 : next === "u" ? 4 : 8;
            res += parseCharCode(source, i + 1, length2, onError);
            i += length2;
          } else {
            const raw = source.substr(i - 1, 2);
            onError(i - 1, "BAD_DQ_ESCAPE", `Invalid escape sequence ${raw}`);
            res += raw;
          }
        } else if (ch === " " || ch === "	") {
          const wsStart = i;
          let next = source[i + 1];
          while (next === " " || next === "	")
            next = source[++i + 1];
          if (next !== "\n" && !(next === "\r" && source[i + 2] === "\n"))
            res += i > wsStart ? source.slice(wsStart, i + 1) : ch;
        } else {
          res += ch;
        }
      }
      if (source[source.length - 1] !== '"' || source.length === 1)
        onError(source.length, "MISSING_CHAR", 'Missing closing "quote');
      return res;
    }
    function foldNewline(source, offset) {
      let fold = "";
      let ch = source[offset + 1];
      while (ch === " " || ch === "	" || ch === "\n" || ch === "\r") {
        if (ch === "\r" && source[offset + 2] !== "\n")
          break;
        if (ch === "\n")
          fold += "\n";
        offset += 1;
        ch = source[offset + 1];
      }
      if (!fold)
        fold = " ";
      return { fold, offset };
    }
    var escapeCodes = {
      "0": "\0",
      // null character
      a: "\x07",
      // bell character
      b: "\b",
      // backspace
      e: "\x1B",
      // escape character
      f: "\f",
      // form feed
      n: "\n",
      // line feed
      r: "\r",
      // carriage return
      t: "	",
      // horizontal tab
      v: "\v",
      // vertical tab
      N: "\x85",
      // Unicode next line
      _: "\xA0",
      // Unicode non-breaking space
      L: "\u2028",
      // Unicode line separator
      P: "\u2029",
      // Unicode paragraph separator
      " ": " ",
      '"': '"',
      "/": "/",
      "\\": "\\",
      "	": "	"
    };
    function parseCharCode(source, offset, length2, onError) {
      const cc = source.substr(offset, length2);
      const ok = cc.length === length2 && /^[0-9a-fA-F]+$/.test(cc);
      const code2 = ok ? parseInt(cc, 16) : NaN;
      try {
        return String.fromCodePoint(code2);
      } catch {
        const raw = source.substr(offset - 2, length2 + 2);
        onError(offset - 2, "BAD_DQ_ESCAPE", `Invalid escape sequence ${raw}`);
        return raw;
      }
    }
    exports.resolveFlowScalar = resolveFlowScalar;
  }
});

// node_modules/yaml/dist/compose/compose-scalar.js
var require_compose_scalar = __commonJS({
  "node_modules/yaml/dist/compose/compose-scalar.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Scalar2 = require_Scalar();
    var resolveBlockScalar = require_resolve_block_scalar();
    var resolveFlowScalar = require_resolve_flow_scalar();
    function composeScalar(ctx, token2, tagToken, onError) {
      const { value, type, comment, range } = token2.type === "block-scalar" ? resolveBlockScalar.resolveBlockScalar(ctx, token2, onError) : resolveFlowScalar.resolveFlowScalar(token2, ctx.options.strict, onError);
      const tagName = tagToken ? ctx.directives.tagName(tagToken.source, (msg) => onError(tagToken, "TAG_RESOLVE_FAILED", msg)) : null;
      let tag;
      if (ctx.options.stringKeys && ctx.atKey) {
        tag = ctx.schema[identity.SCALAR];
      } else if (tagName)
        tag = findScalarTagByName(ctx.schema, value, tagName, tagToken, onError);
      else if (token2.type === "scalar")
        tag = findScalarTagByTest(ctx, value, token2, onError);
      else
        tag = ctx.schema[identity.SCALAR];
      let scalar;
      try {
        const res = tag.resolve(value, (msg) => onError(tagToken ?? token2, "TAG_RESOLVE_FAILED", msg), ctx.options);
        scalar = identity.isScalar(res) ? res : new Scalar2.Scalar(res);
      } catch (error) {
        const msg = error instanceof Error ? error.message : String(error);
        onError(tagToken ?? token2, "TAG_RESOLVE_FAILED", msg);
        scalar = new Scalar2.Scalar(value);
      }
      scalar.range = range;
      scalar.source = value;
      if (type)
        scalar.type = type;
      if (tagName)
        scalar.tag = tagName;
      if (tag.format)
        scalar.format = tag.format;
      if (comment)
        scalar.comment = comment;
      return scalar;
    }
    function findScalarTagByName(schema, value, tagName, tagToken, onError) {
      if (tagName === "!")
        return schema[identity.SCALAR];
      const matchWithTest = [];
      for (const tag of schema.tags) {
        if (!tag.collection && tag.tag === tagName) {
          if (tag.default && tag.test)
            matchWithTest.push(tag);
          else
            return tag;
        }
      }
      for (const tag of matchWithTest)
        if (tag.test?.test(value))
          return tag;
      const kt = schema.knownTags[tagName];
      if (kt && !kt.collection) {
        schema.tags.push(Object.assign({}, kt, { default: false, test: void 0 }));
        return kt;
      }
      onError(tagToken, "TAG_RESOLVE_FAILED", `Unresolved tag: ${tagName}`, tagName !== "tag:yaml.org,2002:str");
      return schema[identity.SCALAR];
    }
    function findScalarTagByTest({ atKey, directives, schema }, value, token2, onError) {
      const tag = schema.tags.find((tag2) => (tag2.default === true || atKey && tag2.default === "key") && tag2.test?.test(value)) || schema[identity.SCALAR];
      if (schema.compat) {
        const compat = schema.compat.find((tag2) => tag2.default && tag2.test?.test(value)) ?? schema[identity.SCALAR];
        if (tag.tag !== compat.tag) {
          const ts = directives.tagString(tag.tag);
          const cs = directives.tagString(compat.tag);
          const msg = `Value may be parsed as either ${ts} or ${cs}`;
          onError(token2, "TAG_RESOLVE_FAILED", msg, true);
        }
      }
      return tag;
    }
    exports.composeScalar = composeScalar;
  }
});

// node_modules/yaml/dist/compose/util-empty-scalar-position.js
var require_util_empty_scalar_position = __commonJS({
  "node_modules/yaml/dist/compose/util-empty-scalar-position.js"(exports) {
    "use strict";
    function emptyScalarPosition(offset, before, pos) {
      if (before) {
        pos ?? (pos = before.length);
        for (let i = pos - 1; i >= 0; --i) {
          let st = before[i];
          switch (st.type) {
            case "space":
            case "comment":
            case "newline":
              offset -= st.source.length;
              continue;
          }
          st = before[++i];
          while (st?.type === "space") {
            offset += st.source.length;
            st = before[++i];
          }
          break;
        }
      }
      return offset;
    }
    exports.emptyScalarPosition = emptyScalarPosition;
  }
});

// node_modules/yaml/dist/compose/compose-node.js
var require_compose_node = __commonJS({
  "node_modules/yaml/dist/compose/compose-node.js"(exports) {
    "use strict";
    var Alias = require_Alias();
    var identity = require_identity();
    var composeCollection = require_compose_collection();
    var composeScalar = require_compose_scalar();
    var resolveEnd = require_resolve_end();
    var utilEmptyScalarPosition = require_util_empty_scalar_position();
    var CN = { composeNode, composeEmptyNode };
    function composeNode(ctx, token2, props, onError) {
      const atKey = ctx.atKey;
      const { spaceBefore, comment, anchor, tag } = props;
      let node;
      let isSrcToken = true;
      switch (token2.type) {
        case "alias":
          node = composeAlias(ctx, token2, onError);
          if (anchor || tag)
            onError(token2, "ALIAS_PROPS", "An alias node must not specify any properties");
          break;
        case "scalar":
        case "single-quoted-scalar":
        case "double-quoted-scalar":
        case "block-scalar":
          node = composeScalar.composeScalar(ctx, token2, tag, onError);
          if (anchor)
            node.anchor = anchor.source.substring(1);
          break;
        case "block-map":
        case "block-seq":
        case "flow-collection":
          try {
            node = composeCollection.composeCollection(CN, ctx, token2, props, onError);
            if (anchor)
              node.anchor = anchor.source.substring(1);
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            onError(token2, "RESOURCE_EXHAUSTION", message);
          }
          break;
        default: {
          const message = token2.type === "error" ? token2.message : `Unsupported token (type: ${token2.type})`;
          onError(token2, "UNEXPECTED_TOKEN", message);
          isSrcToken = false;
        }
      }
      node ?? (node = composeEmptyNode(ctx, token2.offset, void 0, null, props, onError));
      if (anchor && node.anchor === "")
        onError(anchor, "BAD_ALIAS", "Anchor cannot be an empty string");
      if (atKey && ctx.options.stringKeys && (!identity.isScalar(node) || typeof node.value !== "string" || node.tag && node.tag !== "tag:yaml.org,2002:str")) {
        const msg = "With stringKeys, all keys must be strings";
        onError(tag ?? token2, "NON_STRING_KEY", msg);
      }
      if (spaceBefore)
        node.spaceBefore = true;
      if (comment) {
        if (token2.type === "scalar" && token2.source === "")
          node.comment = comment;
        else
          node.commentBefore = comment;
      }
      if (ctx.options.keepSourceTokens && isSrcToken)
        node.srcToken = token2;
      return node;
    }
    function composeEmptyNode(ctx, offset, before, pos, { spaceBefore, comment, anchor, tag, end }, onError) {
      const token2 = {
        type: "scalar",
        offset: utilEmptyScalarPosition.emptyScalarPosition(offset, before, pos),
        indent: -1,
        source: ""
      };
      const node = composeScalar.composeScalar(ctx, token2, tag, onError);
      if (anchor) {
        node.anchor = anchor.source.substring(1);
        if (node.anchor === "")
          onError(anchor, "BAD_ALIAS", "Anchor cannot be an empty string");
      }
      if (spaceBefore)
        node.spaceBefore = true;
      if (comment) {
        node.comment = comment;
        node.range[2] = end;
      }
      return node;
    }
    function composeAlias({ options }, { offset, source, end }, onError) {
      const alias = new Alias.Alias(source.substring(1));
      if (alias.source === "")
        onError(offset, "BAD_ALIAS", "Alias cannot be an empty string");
      if (alias.source.endsWith(":"))
        onError(offset + source.length - 1, "BAD_ALIAS", "Alias ending in : is ambiguous", true);
      const valueEnd = offset + source.length;
      const re2 = resolveEnd.resolveEnd(end, valueEnd, options.strict, onError);
      alias.range = [offset, valueEnd, re2.offset];
      if (re2.comment)
        alias.comment = re2.comment;
      return alias;
    }
    exports.composeEmptyNode = composeEmptyNode;
    exports.composeNode = composeNode;
  }
});

// node_modules/yaml/dist/compose/compose-doc.js
var require_compose_doc = __commonJS({
  "node_modules/yaml/dist/compose/compose-doc.js"(exports) {
    "use strict";
    var Document2 = require_Document();
    var composeNode = require_compose_node();
    var resolveEnd = require_resolve_end();
    var resolveProps = require_resolve_props();
    function composeDoc(options, directives, { offset, start, value, end }, onError) {
      const opts = Object.assign({ _directives: directives }, options);
      const doc = new Document2.Document(void 0, opts);
      const ctx = {
        atKey: false,
        atRoot: true,
        directives: doc.directives,
        options: doc.options,
        schema: doc.schema
      };
      const props = resolveProps.resolveProps(start, {
        indicator: "doc-start",
        next: value ?? end?.[0],
        offset,
        onError,
        parentIndent: 0,
        startOnNewline: true
      });
      if (props.found) {
        doc.directives.docStart = true;
        if (value && (value.type === "block-map" || value.type === "block-seq") && !props.hasNewline)
          onError(props.end, "MISSING_CHAR", "Block collection cannot start on same line with directives-end marker");
      }
      doc.contents = value ? composeNode.composeNode(ctx, value, props, onError) : composeNode.composeEmptyNode(ctx, props.end, start, null, props, onError);
      const contentEnd = doc.contents.range[2];
      const re2 = resolveEnd.resolveEnd(end, contentEnd, false, onError);
      if (re2.comment)
        doc.comment = re2.comment;
      doc.range = [offset, contentEnd, re2.offset];
      return doc;
    }
    exports.composeDoc = composeDoc;
  }
});

// node_modules/yaml/dist/compose/composer.js
var require_composer = __commonJS({
  "node_modules/yaml/dist/compose/composer.js"(exports) {
    "use strict";
    var node_process = __require("process");
    var directives = require_directives();
    var Document2 = require_Document();
    var errors = require_errors2();
    var identity = require_identity();
    var composeDoc = require_compose_doc();
    var resolveEnd = require_resolve_end();
    function getErrorPos(src) {
      if (typeof src === "number")
        return [src, src + 1];
      if (Array.isArray(src))
        return src.length === 2 ? src : [src[0], src[1]];
      const { offset, source } = src;
      return [offset, offset + (typeof source === "string" ? source.length : 1)];
    }
    function parsePrelude(prelude) {
      let comment = "";
      let atComment = false;
      let afterEmptyLine = false;
      for (let i = 0; i < prelude.length; ++i) {
        const source = prelude[i];
        switch (source[0]) {
          case "#":
            comment += (comment === "" ? "" : afterEmptyLine ? "\n\n" : "\n") + (source.substring(1) || " ");
            atComment = true;
            afterEmptyLine = false;
            break;
          case "%":
            if (prelude[i + 1]?.[0] !== "#")
              i += 1;
            atComment = false;
            break;
          default:
            if (!atComment)
              afterEmptyLine = true;
            atComment = false;
        }
      }
      return { comment, afterEmptyLine };
    }
    var Composer2 = class {
      constructor(options = {}) {
        this.doc = null;
        this.atDirectives = false;
        this.prelude = [];
        this.errors = [];
        this.warnings = [];
        this.onError = (source, code2, message, warning) => {
          const pos = getErrorPos(source);
          if (warning)
            this.warnings.push(new errors.YAMLWarning(pos, code2, message));
          else
            this.errors.push(new errors.YAMLParseError(pos, code2, message));
        };
        this.directives = new directives.Directives({ version: options.version || "1.2" });
        this.options = options;
      }
      decorate(doc, afterDoc) {
        const { comment, afterEmptyLine } = parsePrelude(this.prelude);
        if (comment) {
          const dc = doc.contents;
          if (afterDoc) {
            doc.comment = doc.comment ? `${doc.comment}
${comment}` : comment;
          } else if (afterEmptyLine || doc.directives.docStart || !dc) {
            doc.commentBefore = comment;
          } else if (identity.isCollection(dc) && !dc.flow && dc.items.length > 0) {
            let it = dc.items[0];
            if (identity.isPair(it))
              it = it.key;
            const cb = it.commentBefore;
            it.commentBefore = cb ? `${comment}
${cb}` : comment;
          } else {
            const cb = dc.commentBefore;
            dc.commentBefore = cb ? `${comment}
${cb}` : comment;
          }
        }
        if (afterDoc) {
          for (let i = 0; i < this.errors.length; ++i)
            doc.errors.push(this.errors[i]);
          for (let i = 0; i < this.warnings.length; ++i)
            doc.warnings.push(this.warnings[i]);
        } else {
          doc.errors = this.errors;
          doc.warnings = this.warnings;
        }
        this.prelude = [];
        this.errors = [];
        this.warnings = [];
      }
      /**
       * Current stream status information.
       *
       * Mostly useful at the end of input for an empty stream.
       */
      streamInfo() {
        return {
          comment: parsePrelude(this.prelude).comment,
          directives: this.directives,
          errors: this.errors,
          warnings: this.warnings
        };
      }
      /**
       * Compose tokens into documents.
       *
       * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
       * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
       */
      *compose(tokens, forceDoc = false, endOffset = -1) {
        for (const token2 of tokens)
          yield* this.next(token2);
        yield* this.end(forceDoc, endOffset);
      }
      /** Advance the composer by one CST token. */
      *next(token2) {
        if (node_process.env.LOG_STREAM)
          console.dir(token2, { depth: null });
        switch (token2.type) {
          case "directive":
            this.directives.add(token2.source, (offset, message, warning) => {
              const pos = getErrorPos(token2);
              pos[0] += offset;
              this.onError(pos, "BAD_DIRECTIVE", message, warning);
            });
            this.prelude.push(token2.source);
            this.atDirectives = true;
            break;
          case "document": {
            const doc = composeDoc.composeDoc(this.options, this.directives, token2, this.onError);
            if (this.atDirectives && !doc.directives.docStart)
              this.onError(token2, "MISSING_CHAR", "Missing directives-end/doc-start indicator line");
            this.decorate(doc, false);
            if (this.doc)
              yield this.doc;
            this.doc = doc;
            this.atDirectives = false;
            break;
          }
          case "byte-order-mark":
          case "space":
            break;
          case "comment":
          case "newline":
            this.prelude.push(token2.source);
            break;
          case "error": {
            const msg = token2.source ? `${token2.message}: ${JSON.stringify(token2.source)}` : token2.message;
            const error = new errors.YAMLParseError(getErrorPos(token2), "UNEXPECTED_TOKEN", msg);
            if (this.atDirectives || !this.doc)
              this.errors.push(error);
            else
              this.doc.errors.push(error);
            break;
          }
          case "doc-end": {
            if (!this.doc) {
              const msg = "Unexpected doc-end without preceding document";
              this.errors.push(new errors.YAMLParseError(getErrorPos(token2), "UNEXPECTED_TOKEN", msg));
              break;
            }
            this.doc.directives.docEnd = true;
            const end = resolveEnd.resolveEnd(token2.end, token2.offset + token2.source.length, this.doc.options.strict, this.onError);
            this.decorate(this.doc, true);
            if (end.comment) {
              const dc = this.doc.comment;
              this.doc.comment = dc ? `${dc}
${end.comment}` : end.comment;
            }
            this.doc.range[2] = end.offset;
            break;
          }
          default:
            this.errors.push(new errors.YAMLParseError(getErrorPos(token2), "UNEXPECTED_TOKEN", `Unsupported token ${token2.type}`));
        }
      }
      /**
       * Call at end of input to yield any remaining document.
       *
       * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
       * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
       */
      *end(forceDoc = false, endOffset = -1) {
        if (this.doc) {
          this.decorate(this.doc, true);
          yield this.doc;
          this.doc = null;
        } else if (forceDoc) {
          const opts = Object.assign({ _directives: this.directives }, this.options);
          const doc = new Document2.Document(void 0, opts);
          if (this.atDirectives)
            this.onError(endOffset, "MISSING_CHAR", "Missing directives-end indicator line");
          doc.range = [0, endOffset, endOffset];
          this.decorate(doc, false);
          yield doc;
        }
      }
    };
    exports.Composer = Composer2;
  }
});

// node_modules/yaml/dist/parse/cst-scalar.js
var require_cst_scalar = __commonJS({
  "node_modules/yaml/dist/parse/cst-scalar.js"(exports) {
    "use strict";
    var resolveBlockScalar = require_resolve_block_scalar();
    var resolveFlowScalar = require_resolve_flow_scalar();
    var errors = require_errors2();
    var stringifyString = require_stringifyString();
    function resolveAsScalar(token2, strict = true, onError) {
      if (token2) {
        const _onError = (pos, code2, message) => {
          const offset = typeof pos === "number" ? pos : Array.isArray(pos) ? pos[0] : pos.offset;
          if (onError)
            onError(offset, code2, message);
          else
            throw new errors.YAMLParseError([offset, offset + 1], code2, message);
        };
        switch (token2.type) {
          case "scalar":
          case "single-quoted-scalar":
          case "double-quoted-scalar":
            return resolveFlowScalar.resolveFlowScalar(token2, strict, _onError);
          case "block-scalar":
            return resolveBlockScalar.resolveBlockScalar({ options: { strict } }, token2, _onError);
        }
      }
      return null;
    }
    function createScalarToken(value, context) {
      const { implicitKey = false, indent, inFlow = false, offset = -1, type = "PLAIN" } = context;
      const source = stringifyString.stringifyString({ type, value }, {
        implicitKey,
        indent: indent > 0 ? " ".repeat(indent) : "",
        inFlow,
        options: { blockQuote: true, lineWidth: -1 }
      });
      const end = context.end ?? [
        { type: "newline", offset: -1, indent, source: "\n" }
      ];
      switch (source[0]) {
        case "|":
        case ">": {
          const he = source.indexOf("\n");
          const head = source.substring(0, he);
          const body = source.substring(he + 1) + "\n";
          const props = [
            { type: "block-scalar-header", offset, indent, source: head }
          ];
          if (!addEndtoBlockProps(props, end))
            props.push({ type: "newline", offset: -1, indent, source: "\n" });
          return { type: "block-scalar", offset, indent, props, source: body };
        }
        case '"':
          return { type: "double-quoted-scalar", offset, indent, source, end };
        case "'":
          return { type: "single-quoted-scalar", offset, indent, source, end };
        default:
          return { type: "scalar", offset, indent, source, end };
      }
    }
    function setScalarValue(token2, value, context = {}) {
      let { afterKey = false, implicitKey = false, inFlow = false, type } = context;
      let indent = "indent" in token2 ? token2.indent : null;
      if (afterKey && typeof indent === "number")
        indent += 2;
      if (!type)
        switch (token2.type) {
          case "single-quoted-scalar":
            type = "QUOTE_SINGLE";
            break;
          case "double-quoted-scalar":
            type = "QUOTE_DOUBLE";
            break;
          case "block-scalar": {
            const header = token2.props[0];
            if (header.type !== "block-scalar-header")
              throw new Error("Invalid block scalar header");
            type = header.source[0] === ">" ? "BLOCK_FOLDED" : "BLOCK_LITERAL";
            break;
          }
          default:
            type = "PLAIN";
        }
      const source = stringifyString.stringifyString({ type, value }, {
        implicitKey: implicitKey || indent === null,
        indent: indent !== null && indent > 0 ? " ".repeat(indent) : "",
        inFlow,
        options: { blockQuote: true, lineWidth: -1 }
      });
      switch (source[0]) {
        case "|":
        case ">":
          setBlockScalarValue(token2, source);
          break;
        case '"':
          setFlowScalarValue(token2, source, "double-quoted-scalar");
          break;
        case "'":
          setFlowScalarValue(token2, source, "single-quoted-scalar");
          break;
        default:
          setFlowScalarValue(token2, source, "scalar");
      }
    }
    function setBlockScalarValue(token2, source) {
      const he = source.indexOf("\n");
      const head = source.substring(0, he);
      const body = source.substring(he + 1) + "\n";
      if (token2.type === "block-scalar") {
        const header = token2.props[0];
        if (header.type !== "block-scalar-header")
          throw new Error("Invalid block scalar header");
        header.source = head;
        token2.source = body;
      } else {
        const { offset } = token2;
        const indent = "indent" in token2 ? token2.indent : -1;
        const props = [
          { type: "block-scalar-header", offset, indent, source: head }
        ];
        if (!addEndtoBlockProps(props, "end" in token2 ? token2.end : void 0))
          props.push({ type: "newline", offset: -1, indent, source: "\n" });
        for (const key of Object.keys(token2))
          if (key !== "type" && key !== "offset")
            delete token2[key];
        Object.assign(token2, { type: "block-scalar", indent, props, source: body });
      }
    }
    function addEndtoBlockProps(props, end) {
      if (end)
        for (const st of end)
          switch (st.type) {
            case "space":
            case "comment":
              props.push(st);
              break;
            case "newline":
              props.push(st);
              return true;
          }
      return false;
    }
    function setFlowScalarValue(token2, source, type) {
      switch (token2.type) {
        case "scalar":
        case "double-quoted-scalar":
        case "single-quoted-scalar":
          token2.type = type;
          token2.source = source;
          break;
        case "block-scalar": {
          const end = token2.props.slice(1);
          let oa = source.length;
          if (token2.props[0].type === "block-scalar-header")
            oa -= token2.props[0].source.length;
          for (const tok of end)
            tok.offset += oa;
          delete token2.props;
          Object.assign(token2, { type, source, end });
          break;
        }
        case "block-map":
        case "block-seq": {
          const offset = token2.offset + source.length;
          const nl = { type: "newline", offset, indent: token2.indent, source: "\n" };
          delete token2.items;
          Object.assign(token2, { type, source, end: [nl] });
          break;
        }
        default: {
          const indent = "indent" in token2 ? token2.indent : -1;
          const end = "end" in token2 && Array.isArray(token2.end) ? token2.end.filter((st) => st.type === "space" || st.type === "comment" || st.type === "newline") : [];
          for (const key of Object.keys(token2))
            if (key !== "type" && key !== "offset")
              delete token2[key];
          Object.assign(token2, { type, indent, source, end });
        }
      }
    }
    exports.createScalarToken = createScalarToken;
    exports.resolveAsScalar = resolveAsScalar;
    exports.setScalarValue = setScalarValue;
  }
});

// node_modules/yaml/dist/parse/cst-stringify.js
var require_cst_stringify = __commonJS({
  "node_modules/yaml/dist/parse/cst-stringify.js"(exports) {
    "use strict";
    var stringify = (cst) => "type" in cst ? stringifyToken(cst) : stringifyItem(cst);
    function stringifyToken(token2) {
      switch (token2.type) {
        case "block-scalar": {
          let res = "";
          for (const tok of token2.props)
            res += stringifyToken(tok);
          return res + token2.source;
        }
        case "block-map":
        case "block-seq": {
          let res = "";
          for (const item of token2.items)
            res += stringifyItem(item);
          return res;
        }
        case "flow-collection": {
          let res = token2.start.source;
          for (const item of token2.items)
            res += stringifyItem(item);
          for (const st of token2.end)
            res += st.source;
          return res;
        }
        case "document": {
          let res = stringifyItem(token2);
          if (token2.end)
            for (const st of token2.end)
              res += st.source;
          return res;
        }
        default: {
          let res = token2.source;
          if ("end" in token2 && token2.end)
            for (const st of token2.end)
              res += st.source;
          return res;
        }
      }
    }
    function stringifyItem({ start, key, sep: sep2, value }) {
      let res = "";
      for (const st of start)
        res += st.source;
      if (key)
        res += stringifyToken(key);
      if (sep2)
        for (const st of sep2)
          res += st.source;
      if (value)
        res += stringifyToken(value);
      return res;
    }
    exports.stringify = stringify;
  }
});

// node_modules/yaml/dist/parse/cst-visit.js
var require_cst_visit = __commonJS({
  "node_modules/yaml/dist/parse/cst-visit.js"(exports) {
    "use strict";
    var BREAK = /* @__PURE__ */ Symbol("break visit");
    var SKIP = /* @__PURE__ */ Symbol("skip children");
    var REMOVE = /* @__PURE__ */ Symbol("remove item");
    function visit2(cst, visitor) {
      if ("type" in cst && cst.type === "document")
        cst = { start: cst.start, value: cst.value };
      _visit(Object.freeze([]), cst, visitor);
    }
    visit2.BREAK = BREAK;
    visit2.SKIP = SKIP;
    visit2.REMOVE = REMOVE;
    visit2.itemAtPath = (cst, path) => {
      let item = cst;
      for (const [field, index] of path) {
        const tok = item?.[field];
        if (tok && "items" in tok) {
          item = tok.items[index];
        } else
          return void 0;
      }
      return item;
    };
    visit2.parentCollection = (cst, path) => {
      const parent = visit2.itemAtPath(cst, path.slice(0, -1));
      const field = path[path.length - 1][0];
      const coll = parent?.[field];
      if (coll && "items" in coll)
        return coll;
      throw new Error("Parent collection not found");
    };
    function _visit(path, item, visitor) {
      let ctrl = visitor(item, path);
      if (typeof ctrl === "symbol")
        return ctrl;
      for (const field of ["key", "value"]) {
        const token2 = item[field];
        if (token2 && "items" in token2) {
          for (let i = 0; i < token2.items.length; ++i) {
            const ci = _visit(Object.freeze(path.concat([[field, i]])), token2.items[i], visitor);
            if (typeof ci === "number")
              i = ci - 1;
            else if (ci === BREAK)
              return BREAK;
            else if (ci === REMOVE) {
              token2.items.splice(i, 1);
              i -= 1;
            }
          }
          if (typeof ctrl === "function" && field === "key")
            ctrl = ctrl(item, path);
        }
      }
      return typeof ctrl === "function" ? ctrl(item, path) : ctrl;
    }
    exports.visit = visit2;
  }
});

// node_modules/yaml/dist/parse/cst.js
var require_cst = __commonJS({
  "node_modules/yaml/dist/parse/cst.js"(exports) {
    "use strict";
    var cstScalar = require_cst_scalar();
    var cstStringify = require_cst_stringify();
    var cstVisit = require_cst_visit();
    var BOM = "\uFEFF";
    var DOCUMENT = "";
    var FLOW_END = "";
    var SCALAR = "";
    var isCollection = (token2) => !!token2 && "items" in token2;
    var isScalar8 = (token2) => !!token2 && (token2.type === "scalar" || token2.type === "single-quoted-scalar" || token2.type === "double-quoted-scalar" || token2.type === "block-scalar");
    function prettyToken(token2) {
      switch (token2) {
        case BOM:
          return "<BOM>";
        case DOCUMENT:
          return "<DOC>";
        case FLOW_END:
          return "<FLOW_END>";
        case SCALAR:
          return "<SCALAR>";
        default:
          return JSON.stringify(token2);
      }
    }
    function tokenType(source) {
      switch (source) {
        case BOM:
          return "byte-order-mark";
        case DOCUMENT:
          return "doc-mode";
        case FLOW_END:
          return "flow-error-end";
        case SCALAR:
          return "scalar";
        case "---":
          return "doc-start";
        case "...":
          return "doc-end";
        case "":
        case "\n":
        case "\r\n":
          return "newline";
        case "-":
          return "seq-item-ind";
        case "?":
          return "explicit-key-ind";
        case ":":
          return "map-value-ind";
        case "{":
          return "flow-map-start";
        case "}":
          return "flow-map-end";
        case "[":
          return "flow-seq-start";
        case "]":
          return "flow-seq-end";
        case ",":
          return "comma";
      }
      switch (source[0]) {
        case " ":
        case "	":
          return "space";
        case "#":
          return "comment";
        case "%":
          return "directive-line";
        case "*":
          return "alias";
        case "&":
          return "anchor";
        case "!":
          return "tag";
        case "'":
          return "single-quoted-scalar";
        case '"':
          return "double-quoted-scalar";
        case "|":
        case ">":
          return "block-scalar-header";
      }
      return null;
    }
    exports.createScalarToken = cstScalar.createScalarToken;
    exports.resolveAsScalar = cstScalar.resolveAsScalar;
    exports.setScalarValue = cstScalar.setScalarValue;
    exports.stringify = cstStringify.stringify;
    exports.visit = cstVisit.visit;
    exports.BOM = BOM;
    exports.DOCUMENT = DOCUMENT;
    exports.FLOW_END = FLOW_END;
    exports.SCALAR = SCALAR;
    exports.isCollection = isCollection;
    exports.isScalar = isScalar8;
    exports.prettyToken = prettyToken;
    exports.tokenType = tokenType;
  }
});

// node_modules/yaml/dist/parse/lexer.js
var require_lexer = __commonJS({
  "node_modules/yaml/dist/parse/lexer.js"(exports) {
    "use strict";
    var cst = require_cst();
    function isEmpty(ch) {
      switch (ch) {
        case void 0:
        case " ":
        case "\n":
        case "\r":
        case "	":
          return true;
        default:
          return false;
      }
    }
    var hexDigits = new Set("0123456789ABCDEFabcdef");
    var tagChars = new Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-#;/?:@&=+$_.!~*'()");
    var flowIndicatorChars = new Set(",[]{}");
    var invalidAnchorChars = new Set(" ,[]{}\n\r	");
    var isNotAnchorChar = (ch) => !ch || invalidAnchorChars.has(ch);
    var Lexer2 = class {
      constructor() {
        this.atEnd = false;
        this.blockScalarIndent = -1;
        this.blockScalarKeep = false;
        this.buffer = "";
        this.flowKey = false;
        this.flowLevel = 0;
        this.indentNext = 0;
        this.indentValue = 0;
        this.lineEndPos = null;
        this.next = null;
        this.pos = 0;
      }
      /**
       * Generate YAML tokens from the `source` string. If `incomplete`,
       * a part of the last line may be left as a buffer for the next call.
       *
       * @returns A generator of lexical tokens
       */
      *lex(source, incomplete = false) {
        if (source) {
          if (typeof source !== "string")
            throw TypeError("source is not a string");
          this.buffer = this.buffer ? this.buffer + source : source;
          this.lineEndPos = null;
        }
        this.atEnd = !incomplete;
        let next = this.next ?? "stream";
        while (next && (incomplete || this.hasChars(1)))
          next = yield* this.parseNext(next);
      }
      atLineEnd() {
        let i = this.pos;
        let ch = this.buffer[i];
        while (ch === " " || ch === "	")
          ch = this.buffer[++i];
        if (!ch || ch === "#" || ch === "\n")
          return true;
        if (ch === "\r")
          return this.buffer[i + 1] === "\n";
        return false;
      }
      charAt(n) {
        return this.buffer[this.pos + n];
      }
      continueScalar(offset) {
        let ch = this.buffer[offset];
        if (this.indentNext > 0) {
          let indent = 0;
          while (ch === " ")
            ch = this.buffer[++indent + offset];
          if (ch === "\r") {
            const next = this.buffer[indent + offset + 1];
            if (next === "\n" || !next && !this.atEnd)
              return offset + indent + 1;
          }
          return ch === "\n" || indent >= this.indentNext || !ch && !this.atEnd ? offset + indent : -1;
        }
        if (ch === "-" || ch === ".") {
          const dt = this.buffer.substr(offset, 3);
          if ((dt === "---" || dt === "...") && isEmpty(this.buffer[offset + 3]))
            return -1;
        }
        return offset;
      }
      getLine() {
        let end = this.lineEndPos;
        if (typeof end !== "number" || end !== -1 && end < this.pos) {
          end = this.buffer.indexOf("\n", this.pos);
          this.lineEndPos = end;
        }
        if (end === -1)
          return this.atEnd ? this.buffer.substring(this.pos) : null;
        if (this.buffer[end - 1] === "\r")
          end -= 1;
        return this.buffer.substring(this.pos, end);
      }
      hasChars(n) {
        return this.pos + n <= this.buffer.length;
      }
      setNext(state) {
        this.buffer = this.buffer.substring(this.pos);
        this.pos = 0;
        this.lineEndPos = null;
        this.next = state;
        return null;
      }
      peek(n) {
        return this.buffer.substr(this.pos, n);
      }
      *parseNext(next) {
        switch (next) {
          case "stream":
            return yield* this.parseStream();
          case "line-start":
            return yield* this.parseLineStart();
          case "block-start":
            return yield* this.parseBlockStart();
          case "doc":
            return yield* this.parseDocument();
          case "flow":
            return yield* this.parseFlowCollection();
          case "quoted-scalar":
            return yield* this.parseQuotedScalar();
          case "block-scalar":
            return yield* this.parseBlockScalar();
          case "plain-scalar":
            return yield* this.parsePlainScalar();
        }
      }
      *parseStream() {
        let line = this.getLine();
        if (line === null)
          return this.setNext("stream");
        if (line[0] === cst.BOM) {
          yield* this.pushCount(1);
          line = line.substring(1);
        }
        if (line[0] === "%") {
          let dirEnd = line.length;
          let cs = line.indexOf("#");
          while (cs !== -1) {
            const ch = line[cs - 1];
            if (ch === " " || ch === "	") {
              dirEnd = cs - 1;
              break;
            } else {
              cs = line.indexOf("#", cs + 1);
            }
          }
          while (true) {
            const ch = line[dirEnd - 1];
            if (ch === " " || ch === "	")
              dirEnd -= 1;
            else
              break;
          }
          const n = (yield* this.pushCount(dirEnd)) + (yield* this.pushSpaces(true));
          yield* this.pushCount(line.length - n);
          this.pushNewline();
          return "stream";
        }
        if (this.atLineEnd()) {
          const sp = yield* this.pushSpaces(true);
          yield* this.pushCount(line.length - sp);
          yield* this.pushNewline();
          return "stream";
        }
        yield cst.DOCUMENT;
        return yield* this.parseLineStart();
      }
      *parseLineStart() {
        const ch = this.charAt(0);
        if (!ch && !this.atEnd)
          return this.setNext("line-start");
        if (ch === "-" || ch === ".") {
          if (!this.atEnd && !this.hasChars(4))
            return this.setNext("line-start");
          const s = this.peek(3);
          if ((s === "---" || s === "...") && isEmpty(this.charAt(3))) {
            yield* this.pushCount(3);
            this.indentValue = 0;
            this.indentNext = 0;
            return s === "---" ? "doc" : "stream";
          }
        }
        this.indentValue = yield* this.pushSpaces(false);
        if (this.indentNext > this.indentValue && !isEmpty(this.charAt(1)))
          this.indentNext = this.indentValue;
        return yield* this.parseBlockStart();
      }
      *parseBlockStart() {
        const [ch0, ch1] = this.peek(2);
        if (!ch1 && !this.atEnd)
          return this.setNext("block-start");
        if ((ch0 === "-" || ch0 === "?" || ch0 === ":") && isEmpty(ch1)) {
          const n = (yield* this.pushCount(1)) + (yield* this.pushSpaces(true));
          this.indentNext = this.indentValue + 1;
          this.indentValue += n;
          return "block-start";
        }
        return "doc";
      }
      *parseDocument() {
        yield* this.pushSpaces(true);
        const line = this.getLine();
        if (line === null)
          return this.setNext("doc");
        let n = yield* this.pushIndicators();
        switch (line[n]) {
          case "#":
            yield* this.pushCount(line.length - n);
          // fallthrough
          case void 0:
            yield* this.pushNewline();
            return yield* this.parseLineStart();
          case "{":
          case "[":
            yield* this.pushCount(1);
            this.flowKey = false;
            this.flowLevel = 1;
            return "flow";
          case "}":
          case "]":
            yield* this.pushCount(1);
            return "doc";
          case "*":
            yield* this.pushUntil(isNotAnchorChar);
            return "doc";
          case '"':
          case "'":
            return yield* this.parseQuotedScalar();
          case "|":
          case ">":
            n += yield* this.parseBlockScalarHeader();
            n += yield* this.pushSpaces(true);
            yield* this.pushCount(line.length - n);
            yield* this.pushNewline();
            return yield* this.parseBlockScalar();
          default:
            return yield* this.parsePlainScalar();
        }
      }
      *parseFlowCollection() {
        let nl, sp;
        let indent = -1;
        do {
          nl = yield* this.pushNewline();
          if (nl > 0) {
            sp = yield* this.pushSpaces(false);
            this.indentValue = indent = sp;
          } else {
            sp = 0;
          }
          sp += yield* this.pushSpaces(true);
        } while (nl + sp > 0);
        const line = this.getLine();
        if (line === null)
          return this.setNext("flow");
        if (indent !== -1 && indent < this.indentNext && line[0] !== "#" || indent === 0 && (line.startsWith("---") || line.startsWith("...")) && isEmpty(line[3])) {
          const atFlowEndMarker = indent === this.indentNext - 1 && this.flowLevel === 1 && (line[0] === "]" || line[0] === "}");
          if (!atFlowEndMarker) {
            this.flowLevel = 0;
            yield cst.FLOW_END;
            return yield* this.parseLineStart();
          }
        }
        let n = 0;
        while (line[n] === ",") {
          n += yield* this.pushCount(1);
          n += yield* this.pushSpaces(true);
          this.flowKey = false;
        }
        n += yield* this.pushIndicators();
        switch (line[n]) {
          case void 0:
            return "flow";
          case "#":
            yield* this.pushCount(line.length - n);
            return "flow";
          case "{":
          case "[":
            yield* this.pushCount(1);
            this.flowKey = false;
            this.flowLevel += 1;
            return "flow";
          case "}":
          case "]":
            yield* this.pushCount(1);
            this.flowKey = true;
            this.flowLevel -= 1;
            return this.flowLevel ? "flow" : "doc";
          case "*":
            yield* this.pushUntil(isNotAnchorChar);
            return "flow";
          case '"':
          case "'":
            this.flowKey = true;
            return yield* this.parseQuotedScalar();
          case ":": {
            const next = this.charAt(1);
            if (this.flowKey || isEmpty(next) || next === ",") {
              this.flowKey = false;
              yield* this.pushCount(1);
              yield* this.pushSpaces(true);
              return "flow";
            }
          }
          // fallthrough
          default:
            this.flowKey = false;
            return yield* this.parsePlainScalar();
        }
      }
      *parseQuotedScalar() {
        const quote = this.charAt(0);
        let end = this.buffer.indexOf(quote, this.pos + 1);
        if (quote === "'") {
          while (end !== -1 && this.buffer[end + 1] === "'")
            end = this.buffer.indexOf("'", end + 2);
        } else {
          while (end !== -1) {
            let n = 0;
            while (this.buffer[end - 1 - n] === "\\")
              n += 1;
            if (n % 2 === 0)
              break;
            end = this.buffer.indexOf('"', end + 1);
          }
        }
        const qb = this.buffer.substring(0, end);
        let nl = qb.indexOf("\n", this.pos);
        if (nl !== -1) {
          while (nl !== -1) {
            const cs = this.continueScalar(nl + 1);
            if (cs === -1)
              break;
            nl = qb.indexOf("\n", cs);
          }
          if (nl !== -1) {
            end = nl - (qb[nl - 1] === "\r" ? 2 : 1);
          }
        }
        if (end === -1) {
          if (!this.atEnd)
            return this.setNext("quoted-scalar");
          end = this.buffer.length;
        }
        yield* this.pushToIndex(end + 1, false);
        return this.flowLevel ? "flow" : "doc";
      }
      *parseBlockScalarHeader() {
        this.blockScalarIndent = -1;
        this.blockScalarKeep = false;
        let i = this.pos;
        while (true) {
          const ch = this.buffer[++i];
          if (ch === "+")
            this.blockScalarKeep = true;
          else if (ch > "0" && ch <= "9")
            this.blockScalarIndent = Number(ch) - 1;
          else if (ch !== "-")
            break;
        }
        return yield* this.pushUntil((ch) => isEmpty(ch) || ch === "#");
      }
      *parseBlockScalar() {
        let nl = this.pos - 1;
        let indent = 0;
        let ch;
        loop: for (let i2 = this.pos; ch = this.buffer[i2]; ++i2) {
          switch (ch) {
            case " ":
              indent += 1;
              break;
            case "\n":
              nl = i2;
              indent = 0;
              break;
            case "\r": {
              const next = this.buffer[i2 + 1];
              if (!next && !this.atEnd)
                return this.setNext("block-scalar");
              if (next === "\n")
                break;
            }
            // fallthrough
            default:
              break loop;
          }
        }
        if (!ch && !this.atEnd)
          return this.setNext("block-scalar");
        if (indent >= this.indentNext) {
          if (this.blockScalarIndent === -1)
            this.indentNext = indent;
          else {
            this.indentNext = this.blockScalarIndent + (this.indentNext === 0 ? 1 : this.indentNext);
          }
          do {
            const cs = this.continueScalar(nl + 1);
            if (cs === -1)
              break;
            nl = this.buffer.indexOf("\n", cs);
          } while (nl !== -1);
          if (nl === -1) {
            if (!this.atEnd)
              return this.setNext("block-scalar");
            nl = this.buffer.length;
          }
        }
        let i = nl + 1;
        ch = this.buffer[i];
        while (ch === " ")
          ch = this.buffer[++i];
        if (ch === "	") {
          while (ch === "	" || ch === " " || ch === "\r" || ch === "\n")
            ch = this.buffer[++i];
          nl = i - 1;
        } else if (!this.blockScalarKeep) {
          do {
            let i2 = nl - 1;
            let ch2 = this.buffer[i2];
            if (ch2 === "\r")
              ch2 = this.buffer[--i2];
            const lastChar = i2;
            while (ch2 === " ")
              ch2 = this.buffer[--i2];
            if (ch2 === "\n" && i2 >= this.pos && i2 + 1 + indent > lastChar)
              nl = i2;
            else
              break;
          } while (true);
        }
        yield cst.SCALAR;
        yield* this.pushToIndex(nl + 1, true);
        return yield* this.parseLineStart();
      }
      *parsePlainScalar() {
        const inFlow = this.flowLevel > 0;
        let end = this.pos - 1;
        let i = this.pos - 1;
        let ch;
        while (ch = this.buffer[++i]) {
          if (ch === ":") {
            const next = this.buffer[i + 1];
            if (isEmpty(next) || inFlow && flowIndicatorChars.has(next))
              break;
            end = i;
          } else if (isEmpty(ch)) {
            let next = this.buffer[i + 1];
            if (ch === "\r") {
              if (next === "\n") {
                i += 1;
                ch = "\n";
                next = this.buffer[i + 1];
              } else
                end = i;
            }
            if (next === "#" || inFlow && flowIndicatorChars.has(next))
              break;
            if (ch === "\n") {
              const cs = this.continueScalar(i + 1);
              if (cs === -1)
                break;
              i = Math.max(i, cs - 2);
            }
          } else {
            if (inFlow && flowIndicatorChars.has(ch))
              break;
            end = i;
          }
        }
        if (!ch && !this.atEnd)
          return this.setNext("plain-scalar");
        yield cst.SCALAR;
        yield* this.pushToIndex(end + 1, true);
        return inFlow ? "flow" : "doc";
      }
      *pushCount(n) {
        if (n > 0) {
          yield this.buffer.substr(this.pos, n);
          this.pos += n;
          return n;
        }
        return 0;
      }
      *pushToIndex(i, allowEmpty) {
        const s = this.buffer.slice(this.pos, i);
        if (s) {
          yield s;
          this.pos += s.length;
          return s.length;
        } else if (allowEmpty)
          yield "";
        return 0;
      }
      *pushIndicators() {
        let n = 0;
        loop: while (true) {
          switch (this.charAt(0)) {
            case "!":
              n += yield* this.pushTag();
              n += yield* this.pushSpaces(true);
              continue loop;
            case "&":
              n += yield* this.pushUntil(isNotAnchorChar);
              n += yield* this.pushSpaces(true);
              continue loop;
            case "-":
            // this is an error
            case "?":
            // this is an error outside flow collections
            case ":": {
              const inFlow = this.flowLevel > 0;
              const ch1 = this.charAt(1);
              if (isEmpty(ch1) || inFlow && flowIndicatorChars.has(ch1)) {
                if (!inFlow)
                  this.indentNext = this.indentValue + 1;
                else if (this.flowKey)
                  this.flowKey = false;
                n += yield* this.pushCount(1);
                n += yield* this.pushSpaces(true);
                continue loop;
              }
            }
          }
          break loop;
        }
        return n;
      }
      *pushTag() {
        if (this.charAt(1) === "<") {
          let i = this.pos + 2;
          let ch = this.buffer[i];
          while (!isEmpty(ch) && ch !== ">")
            ch = this.buffer[++i];
          return yield* this.pushToIndex(ch === ">" ? i + 1 : i, false);
        } else {
          let i = this.pos + 1;
          let ch = this.buffer[i];
          while (ch) {
            if (tagChars.has(ch))
              ch = this.buffer[++i];
            else if (ch === "%" && hexDigits.has(this.buffer[i + 1]) && hexDigits.has(this.buffer[i + 2])) {
              ch = this.buffer[i += 3];
            } else
              break;
          }
          return yield* this.pushToIndex(i, false);
        }
      }
      *pushNewline() {
        const ch = this.buffer[this.pos];
        if (ch === "\n")
          return yield* this.pushCount(1);
        else if (ch === "\r" && this.charAt(1) === "\n")
          return yield* this.pushCount(2);
        else
          return 0;
      }
      *pushSpaces(allowTabs) {
        let i = this.pos - 1;
        let ch;
        do {
          ch = this.buffer[++i];
        } while (ch === " " || allowTabs && ch === "	");
        const n = i - this.pos;
        if (n > 0) {
          yield this.buffer.substr(this.pos, n);
          this.pos = i;
        }
        return n;
      }
      *pushUntil(test) {
        let i = this.pos;
        let ch = this.buffer[i];
        while (!test(ch))
          ch = this.buffer[++i];
        return yield* this.pushToIndex(i, false);
      }
    };
    exports.Lexer = Lexer2;
  }
});

// node_modules/yaml/dist/parse/line-counter.js
var require_line_counter = __commonJS({
  "node_modules/yaml/dist/parse/line-counter.js"(exports) {
    "use strict";
    var LineCounter4 = class {
      constructor() {
        this.lineStarts = [];
        this.addNewLine = (offset) => this.lineStarts.push(offset);
        this.linePos = (offset) => {
          let low = 0;
          let high = this.lineStarts.length;
          while (low < high) {
            const mid = low + high >> 1;
            if (this.lineStarts[mid] < offset)
              low = mid + 1;
            else
              high = mid;
          }
          if (this.lineStarts[low] === offset)
            return { line: low + 1, col: 1 };
          if (low === 0)
            return { line: 0, col: offset };
          const start = this.lineStarts[low - 1];
          return { line: low, col: offset - start + 1 };
        };
      }
    };
    exports.LineCounter = LineCounter4;
  }
});

// node_modules/yaml/dist/parse/parser.js
var require_parser = __commonJS({
  "node_modules/yaml/dist/parse/parser.js"(exports) {
    "use strict";
    var node_process = __require("process");
    var cst = require_cst();
    var lexer = require_lexer();
    function includesToken(list2, type) {
      for (let i = 0; i < list2.length; ++i)
        if (list2[i].type === type)
          return true;
      return false;
    }
    function findNonEmptyIndex(list2) {
      for (let i = 0; i < list2.length; ++i) {
        switch (list2[i].type) {
          case "space":
          case "comment":
          case "newline":
            break;
          default:
            return i;
        }
      }
      return -1;
    }
    function isFlowToken(token2) {
      switch (token2?.type) {
        case "alias":
        case "scalar":
        case "single-quoted-scalar":
        case "double-quoted-scalar":
        case "flow-collection":
          return true;
        default:
          return false;
      }
    }
    function getPrevProps(parent) {
      switch (parent.type) {
        case "document":
          return parent.start;
        case "block-map": {
          const it = parent.items[parent.items.length - 1];
          return it.sep ?? it.start;
        }
        case "block-seq":
          return parent.items[parent.items.length - 1].start;
        /* istanbul ignore next should not happen */
        default:
          return [];
      }
    }
    function getFirstKeyStartProps(prev) {
      if (prev.length === 0)
        return [];
      let i = prev.length;
      loop: while (--i >= 0) {
        switch (prev[i].type) {
          case "doc-start":
          case "explicit-key-ind":
          case "map-value-ind":
          case "seq-item-ind":
          case "newline":
            break loop;
        }
      }
      while (prev[++i]?.type === "space") {
      }
      return prev.splice(i, prev.length);
    }
    function arrayPushArray(target, source) {
      if (source.length < 1e5)
        Array.prototype.push.apply(target, source);
      else
        for (let i = 0; i < source.length; ++i)
          target.push(source[i]);
    }
    function fixFlowSeqItems(fc) {
      if (fc.start.type === "flow-seq-start") {
        for (const it of fc.items) {
          if (it.sep && !it.value && !includesToken(it.start, "explicit-key-ind") && !includesToken(it.sep, "map-value-ind")) {
            if (it.key)
              it.value = it.key;
            delete it.key;
            if (isFlowToken(it.value)) {
              if (it.value.end)
                arrayPushArray(it.value.end, it.sep);
              else
                it.value.end = it.sep;
            } else
              arrayPushArray(it.start, it.sep);
            delete it.sep;
          }
        }
      }
    }
    var Parser2 = class {
      /**
       * @param onNewLine - If defined, called separately with the start position of
       *   each new line (in `parse()`, including the start of input).
       */
      constructor(onNewLine) {
        this.atNewLine = true;
        this.atScalar = false;
        this.indent = 0;
        this.offset = 0;
        this.onKeyLine = false;
        this.stack = [];
        this.source = "";
        this.type = "";
        this.lexer = new lexer.Lexer();
        this.onNewLine = onNewLine;
      }
      /**
       * Parse `source` as a YAML stream.
       * If `incomplete`, a part of the last line may be left as a buffer for the next call.
       *
       * Errors are not thrown, but yielded as `{ type: 'error', message }` tokens.
       *
       * @returns A generator of tokens representing each directive, document, and other structure.
       */
      *parse(source, incomplete = false) {
        if (this.onNewLine && this.offset === 0)
          this.onNewLine(0);
        for (const lexeme of this.lexer.lex(source, incomplete))
          yield* this.next(lexeme);
        if (!incomplete)
          yield* this.end();
      }
      /**
       * Advance the parser by the `source` of one lexical token.
       */
      *next(source) {
        this.source = source;
        if (node_process.env.LOG_TOKENS)
          console.log("|", cst.prettyToken(source));
        if (this.atScalar) {
          this.atScalar = false;
          yield* this.step();
          this.offset += source.length;
          return;
        }
        const type = cst.tokenType(source);
        if (!type) {
          const message = `Not a YAML token: ${source}`;
          yield* this.pop({ type: "error", offset: this.offset, message, source });
          this.offset += source.length;
        } else if (type === "scalar") {
          this.atNewLine = false;
          this.atScalar = true;
          this.type = "scalar";
        } else {
          this.type = type;
          yield* this.step();
          switch (type) {
            case "newline":
              this.atNewLine = true;
              this.indent = 0;
              if (this.onNewLine)
                this.onNewLine(this.offset + source.length);
              break;
            case "space":
              if (this.atNewLine && source[0] === " ")
                this.indent += source.length;
              break;
            case "explicit-key-ind":
            case "map-value-ind":
            case "seq-item-ind":
              if (this.atNewLine)
                this.indent += source.length;
              break;
            case "doc-mode":
            case "flow-error-end":
              return;
            default:
              this.atNewLine = false;
          }
          this.offset += source.length;
        }
      }
      /** Call at end of input to push out any remaining constructions */
      *end() {
        while (this.stack.length > 0)
          yield* this.pop();
      }
      get sourceToken() {
        const st = {
          type: this.type,
          offset: this.offset,
          indent: this.indent,
          source: this.source
        };
        return st;
      }
      *step() {
        const top = this.peek(1);
        if (this.type === "doc-end" && top?.type !== "doc-end") {
          while (this.stack.length > 0)
            yield* this.pop();
          this.stack.push({
            type: "doc-end",
            offset: this.offset,
            source: this.source
          });
          return;
        }
        if (!top)
          return yield* this.stream();
        switch (top.type) {
          case "document":
            return yield* this.document(top);
          case "alias":
          case "scalar":
          case "single-quoted-scalar":
          case "double-quoted-scalar":
            return yield* this.scalar(top);
          case "block-scalar":
            return yield* this.blockScalar(top);
          case "block-map":
            return yield* this.blockMap(top);
          case "block-seq":
            return yield* this.blockSequence(top);
          case "flow-collection":
            return yield* this.flowCollection(top);
          case "doc-end":
            return yield* this.documentEnd(top);
        }
        yield* this.pop();
      }
      peek(n) {
        return this.stack[this.stack.length - n];
      }
      *pop(error) {
        const token2 = error ?? this.stack.pop();
        if (!token2) {
          const message = "Tried to pop an empty stack";
          yield { type: "error", offset: this.offset, source: "", message };
        } else if (this.stack.length === 0) {
          yield token2;
        } else {
          const top = this.peek(1);
          if (token2.type === "block-scalar") {
            token2.indent = "indent" in top ? top.indent : 0;
          } else if (token2.type === "flow-collection" && top.type === "document") {
            token2.indent = 0;
          }
          if (token2.type === "flow-collection")
            fixFlowSeqItems(token2);
          switch (top.type) {
            case "document":
              top.value = token2;
              break;
            case "block-scalar":
              top.props.push(token2);
              break;
            case "block-map": {
              const it = top.items[top.items.length - 1];
              if (it.value) {
                top.items.push({ start: [], key: token2, sep: [] });
                this.onKeyLine = true;
                return;
              } else if (it.sep) {
                it.value = token2;
              } else {
                Object.assign(it, { key: token2, sep: [] });
                this.onKeyLine = !it.explicitKey;
                return;
              }
              break;
            }
            case "block-seq": {
              const it = top.items[top.items.length - 1];
              if (it.value)
                top.items.push({ start: [], value: token2 });
              else
                it.value = token2;
              break;
            }
            case "flow-collection": {
              const it = top.items[top.items.length - 1];
              if (!it || it.value)
                top.items.push({ start: [], key: token2, sep: [] });
              else if (it.sep)
                it.value = token2;
              else
                Object.assign(it, { key: token2, sep: [] });
              return;
            }
            /* istanbul ignore next should not happen */
            default:
              yield* this.pop();
              yield* this.pop(token2);
          }
          if ((top.type === "document" || top.type === "block-map" || top.type === "block-seq") && (token2.type === "block-map" || token2.type === "block-seq")) {
            const last = token2.items[token2.items.length - 1];
            if (last && !last.sep && !last.value && last.start.length > 0 && findNonEmptyIndex(last.start) === -1 && (token2.indent === 0 || last.start.every((st) => st.type !== "comment" || st.indent < token2.indent))) {
              if (top.type === "document")
                top.end = last.start;
              else
                top.items.push({ start: last.start });
              token2.items.splice(-1, 1);
            }
          }
        }
      }
      *stream() {
        switch (this.type) {
          case "directive-line":
            yield { type: "directive", offset: this.offset, source: this.source };
            return;
          case "byte-order-mark":
          case "space":
          case "comment":
          case "newline":
            yield this.sourceToken;
            return;
          case "doc-mode":
          case "doc-start": {
            const doc = {
              type: "document",
              offset: this.offset,
              start: []
            };
            if (this.type === "doc-start")
              doc.start.push(this.sourceToken);
            this.stack.push(doc);
            return;
          }
        }
        yield {
          type: "error",
          offset: this.offset,
          message: `Unexpected ${this.type} token in YAML stream`,
          source: this.source
        };
      }
      *document(doc) {
        if (doc.value)
          return yield* this.lineEnd(doc);
        switch (this.type) {
          case "doc-start": {
            if (findNonEmptyIndex(doc.start) !== -1) {
              yield* this.pop();
              yield* this.step();
            } else
              doc.start.push(this.sourceToken);
            return;
          }
          case "anchor":
          case "tag":
          case "space":
          case "comment":
          case "newline":
            doc.start.push(this.sourceToken);
            return;
        }
        const bv = this.startBlockValue(doc);
        if (bv)
          this.stack.push(bv);
        else {
          yield {
            type: "error",
            offset: this.offset,
            message: `Unexpected ${this.type} token in YAML document`,
            source: this.source
          };
        }
      }
      *scalar(scalar) {
        if (this.type === "map-value-ind") {
          const prev = getPrevProps(this.peek(2));
          const start = getFirstKeyStartProps(prev);
          let sep2;
          if (scalar.end) {
            sep2 = scalar.end;
            sep2.push(this.sourceToken);
            delete scalar.end;
          } else
            sep2 = [this.sourceToken];
          const map = {
            type: "block-map",
            offset: scalar.offset,
            indent: scalar.indent,
            items: [{ start, key: scalar, sep: sep2 }]
          };
          this.onKeyLine = true;
          this.stack[this.stack.length - 1] = map;
        } else
          yield* this.lineEnd(scalar);
      }
      *blockScalar(scalar) {
        switch (this.type) {
          case "space":
          case "comment":
          case "newline":
            scalar.props.push(this.sourceToken);
            return;
          case "scalar":
            scalar.source = this.source;
            this.atNewLine = true;
            this.indent = 0;
            if (this.onNewLine) {
              let nl = this.source.indexOf("\n") + 1;
              while (nl !== 0) {
                this.onNewLine(this.offset + nl);
                nl = this.source.indexOf("\n", nl) + 1;
              }
            }
            yield* this.pop();
            break;
          /* istanbul ignore next should not happen */
          default:
            yield* this.pop();
            yield* this.step();
        }
      }
      *blockMap(map) {
        const it = map.items[map.items.length - 1];
        switch (this.type) {
          case "newline":
            this.onKeyLine = false;
            if (it.value) {
              const end = "end" in it.value ? it.value.end : void 0;
              const last = Array.isArray(end) ? end[end.length - 1] : void 0;
              if (last?.type === "comment")
                end?.push(this.sourceToken);
              else
                map.items.push({ start: [this.sourceToken] });
            } else if (it.sep) {
              it.sep.push(this.sourceToken);
            } else {
              it.start.push(this.sourceToken);
            }
            return;
          case "space":
          case "comment":
            if (it.value) {
              map.items.push({ start: [this.sourceToken] });
            } else if (it.sep) {
              it.sep.push(this.sourceToken);
            } else {
              if (this.atIndentedComment(it.start, map.indent)) {
                const prev = map.items[map.items.length - 2];
                const end = prev?.value?.end;
                if (Array.isArray(end)) {
                  arrayPushArray(end, it.start);
                  end.push(this.sourceToken);
                  map.items.pop();
                  return;
                }
              }
              it.start.push(this.sourceToken);
            }
            return;
        }
        if (this.indent >= map.indent) {
          const atMapIndent = !this.onKeyLine && this.indent === map.indent;
          const atNextItem = atMapIndent && (it.sep || it.explicitKey) && this.type !== "seq-item-ind";
          let start = [];
          if (atNextItem && it.sep && !it.value) {
            const nl = [];
            for (let i = 0; i < it.sep.length; ++i) {
              const st = it.sep[i];
              switch (st.type) {
                case "newline":
                  nl.push(i);
                  break;
                case "space":
                  break;
                case "comment":
                  if (st.indent > map.indent)
                    nl.length = 0;
                  break;
                default:
                  nl.length = 0;
              }
            }
            if (nl.length >= 2)
              start = it.sep.splice(nl[1]);
          }
          switch (this.type) {
            case "anchor":
            case "tag":
              if (atNextItem || it.value) {
                start.push(this.sourceToken);
                map.items.push({ start });
                this.onKeyLine = true;
              } else if (it.sep) {
                it.sep.push(this.sourceToken);
              } else {
                it.start.push(this.sourceToken);
              }
              return;
            case "explicit-key-ind":
              if (!it.sep && !it.explicitKey) {
                it.start.push(this.sourceToken);
                it.explicitKey = true;
              } else if (atNextItem || it.value) {
                start.push(this.sourceToken);
                map.items.push({ start, explicitKey: true });
              } else {
                this.stack.push({
                  type: "block-map",
                  offset: this.offset,
                  indent: this.indent,
                  items: [{ start: [this.sourceToken], explicitKey: true }]
                });
              }
              this.onKeyLine = true;
              return;
            case "map-value-ind":
              if (it.explicitKey) {
                if (!it.sep) {
                  if (includesToken(it.start, "newline")) {
                    Object.assign(it, { key: null, sep: [this.sourceToken] });
                  } else {
                    const start2 = getFirstKeyStartProps(it.start);
                    this.stack.push({
                      type: "block-map",
                      offset: this.offset,
                      indent: this.indent,
                      items: [{ start: start2, key: null, sep: [this.sourceToken] }]
                    });
                  }
                } else if (it.value) {
                  map.items.push({ start: [], key: null, sep: [this.sourceToken] });
                } else if (includesToken(it.sep, "map-value-ind")) {
                  this.stack.push({
                    type: "block-map",
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start, key: null, sep: [this.sourceToken] }]
                  });
                } else if (isFlowToken(it.key) && !includesToken(it.sep, "newline")) {
                  const start2 = getFirstKeyStartProps(it.start);
                  const key = it.key;
                  const sep2 = it.sep;
                  sep2.push(this.sourceToken);
                  delete it.key;
                  delete it.sep;
                  this.stack.push({
                    type: "block-map",
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start: start2, key, sep: sep2 }]
                  });
                } else if (start.length > 0) {
                  it.sep = it.sep.concat(start, this.sourceToken);
                } else {
                  it.sep.push(this.sourceToken);
                }
              } else {
                if (!it.sep) {
                  Object.assign(it, { key: null, sep: [this.sourceToken] });
                } else if (it.value || atNextItem) {
                  map.items.push({ start, key: null, sep: [this.sourceToken] });
                } else if (includesToken(it.sep, "map-value-ind")) {
                  this.stack.push({
                    type: "block-map",
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start: [], key: null, sep: [this.sourceToken] }]
                  });
                } else {
                  it.sep.push(this.sourceToken);
                }
              }
              this.onKeyLine = true;
              return;
            case "alias":
            case "scalar":
            case "single-quoted-scalar":
            case "double-quoted-scalar": {
              const fs = this.flowScalar(this.type);
              if (atNextItem || it.value) {
                map.items.push({ start, key: fs, sep: [] });
                this.onKeyLine = true;
              } else if (it.sep) {
                this.stack.push(fs);
              } else {
                Object.assign(it, { key: fs, sep: [] });
                this.onKeyLine = true;
              }
              return;
            }
            default: {
              const bv = this.startBlockValue(map);
              if (bv) {
                if (bv.type === "block-seq") {
                  if (!it.explicitKey && it.sep && !includesToken(it.sep, "newline")) {
                    yield* this.pop({
                      type: "error",
                      offset: this.offset,
                      message: "Unexpected block-seq-ind on same line with key",
                      source: this.source
                    });
                    return;
                  }
                } else if (atMapIndent) {
                  map.items.push({ start });
                }
                this.stack.push(bv);
                return;
              }
            }
          }
        }
        yield* this.pop();
        yield* this.step();
      }
      *blockSequence(seq) {
        const it = seq.items[seq.items.length - 1];
        switch (this.type) {
          case "newline":
            if (it.value) {
              const end = "end" in it.value ? it.value.end : void 0;
              const last = Array.isArray(end) ? end[end.length - 1] : void 0;
              if (last?.type === "comment")
                end?.push(this.sourceToken);
              else
                seq.items.push({ start: [this.sourceToken] });
            } else
              it.start.push(this.sourceToken);
            return;
          case "space":
          case "comment":
            if (it.value)
              seq.items.push({ start: [this.sourceToken] });
            else {
              if (this.atIndentedComment(it.start, seq.indent)) {
                const prev = seq.items[seq.items.length - 2];
                const end = prev?.value?.end;
                if (Array.isArray(end)) {
                  arrayPushArray(end, it.start);
                  end.push(this.sourceToken);
                  seq.items.pop();
                  return;
                }
              }
              it.start.push(this.sourceToken);
            }
            return;
          case "anchor":
          case "tag":
            if (it.value || this.indent <= seq.indent)
              break;
            it.start.push(this.sourceToken);
            return;
          case "seq-item-ind":
            if (this.indent !== seq.indent)
              break;
            if (it.value || includesToken(it.start, "seq-item-ind"))
              seq.items.push({ start: [this.sourceToken] });
            else
              it.start.push(this.sourceToken);
            return;
        }
        if (this.indent > seq.indent) {
          const bv = this.startBlockValue(seq);
          if (bv) {
            this.stack.push(bv);
            return;
          }
        }
        yield* this.pop();
        yield* this.step();
      }
      *flowCollection(fc) {
        const it = fc.items[fc.items.length - 1];
        if (this.type === "flow-error-end") {
          let top;
          do {
            yield* this.pop();
            top = this.peek(1);
          } while (top?.type === "flow-collection");
        } else if (fc.end.length === 0) {
          switch (this.type) {
            case "comma":
            case "explicit-key-ind":
              if (!it || it.sep)
                fc.items.push({ start: [this.sourceToken] });
              else
                it.start.push(this.sourceToken);
              return;
            case "map-value-ind":
              if (!it || it.value)
                fc.items.push({ start: [], key: null, sep: [this.sourceToken] });
              else if (it.sep)
                it.sep.push(this.sourceToken);
              else
                Object.assign(it, { key: null, sep: [this.sourceToken] });
              return;
            case "space":
            case "comment":
            case "newline":
            case "anchor":
            case "tag":
              if (!it || it.value)
                fc.items.push({ start: [this.sourceToken] });
              else if (it.sep)
                it.sep.push(this.sourceToken);
              else
                it.start.push(this.sourceToken);
              return;
            case "alias":
            case "scalar":
            case "single-quoted-scalar":
            case "double-quoted-scalar": {
              const fs = this.flowScalar(this.type);
              if (!it || it.value)
                fc.items.push({ start: [], key: fs, sep: [] });
              else if (it.sep)
                this.stack.push(fs);
              else
                Object.assign(it, { key: fs, sep: [] });
              return;
            }
            case "flow-map-end":
            case "flow-seq-end":
              fc.end.push(this.sourceToken);
              return;
          }
          const bv = this.startBlockValue(fc);
          if (bv)
            this.stack.push(bv);
          else {
            yield* this.pop();
            yield* this.step();
          }
        } else {
          const parent = this.peek(2);
          if (parent.type === "block-map" && (this.type === "map-value-ind" && parent.indent === fc.indent || this.type === "newline" && !parent.items[parent.items.length - 1].sep)) {
            yield* this.pop();
            yield* this.step();
          } else if (this.type === "map-value-ind" && parent.type !== "flow-collection") {
            const prev = getPrevProps(parent);
            const start = getFirstKeyStartProps(prev);
            fixFlowSeqItems(fc);
            const sep2 = fc.end.splice(1, fc.end.length);
            sep2.push(this.sourceToken);
            const map = {
              type: "block-map",
              offset: fc.offset,
              indent: fc.indent,
              items: [{ start, key: fc, sep: sep2 }]
            };
            this.onKeyLine = true;
            this.stack[this.stack.length - 1] = map;
          } else {
            yield* this.lineEnd(fc);
          }
        }
      }
      flowScalar(type) {
        if (this.onNewLine) {
          let nl = this.source.indexOf("\n") + 1;
          while (nl !== 0) {
            this.onNewLine(this.offset + nl);
            nl = this.source.indexOf("\n", nl) + 1;
          }
        }
        return {
          type,
          offset: this.offset,
          indent: this.indent,
          source: this.source
        };
      }
      startBlockValue(parent) {
        switch (this.type) {
          case "alias":
          case "scalar":
          case "single-quoted-scalar":
          case "double-quoted-scalar":
            return this.flowScalar(this.type);
          case "block-scalar-header":
            return {
              type: "block-scalar",
              offset: this.offset,
              indent: this.indent,
              props: [this.sourceToken],
              source: ""
            };
          case "flow-map-start":
          case "flow-seq-start":
            return {
              type: "flow-collection",
              offset: this.offset,
              indent: this.indent,
              start: this.sourceToken,
              items: [],
              end: []
            };
          case "seq-item-ind":
            return {
              type: "block-seq",
              offset: this.offset,
              indent: this.indent,
              items: [{ start: [this.sourceToken] }]
            };
          case "explicit-key-ind": {
            this.onKeyLine = true;
            const prev = getPrevProps(parent);
            const start = getFirstKeyStartProps(prev);
            start.push(this.sourceToken);
            return {
              type: "block-map",
              offset: this.offset,
              indent: this.indent,
              items: [{ start, explicitKey: true }]
            };
          }
          case "map-value-ind": {
            this.onKeyLine = true;
            const prev = getPrevProps(parent);
            const start = getFirstKeyStartProps(prev);
            return {
              type: "block-map",
              offset: this.offset,
              indent: this.indent,
              items: [{ start, key: null, sep: [this.sourceToken] }]
            };
          }
        }
        return null;
      }
      atIndentedComment(start, indent) {
        if (this.type !== "comment")
          return false;
        if (this.indent <= indent)
          return false;
        return start.every((st) => st.type === "newline" || st.type === "space");
      }
      *documentEnd(docEnd) {
        if (this.type !== "doc-mode") {
          if (docEnd.end)
            docEnd.end.push(this.sourceToken);
          else
            docEnd.end = [this.sourceToken];
          if (this.type === "newline")
            yield* this.pop();
        }
      }
      *lineEnd(token2) {
        switch (this.type) {
          case "comma":
          case "doc-start":
          case "doc-end":
          case "flow-seq-end":
          case "flow-map-end":
          case "map-value-ind":
            yield* this.pop();
            yield* this.step();
            break;
          case "newline":
            this.onKeyLine = false;
          // fallthrough
          case "space":
          case "comment":
          default:
            if (token2.end)
              token2.end.push(this.sourceToken);
            else
              token2.end = [this.sourceToken];
            if (this.type === "newline")
              yield* this.pop();
        }
      }
    };
    exports.Parser = Parser2;
  }
});

// node_modules/yaml/dist/public-api.js
var require_public_api = __commonJS({
  "node_modules/yaml/dist/public-api.js"(exports) {
    "use strict";
    var composer = require_composer();
    var Document2 = require_Document();
    var errors = require_errors2();
    var log = require_log();
    var identity = require_identity();
    var lineCounter = require_line_counter();
    var parser = require_parser();
    function parseOptions(options) {
      const prettyErrors = options.prettyErrors !== false;
      const lineCounter$1 = options.lineCounter || prettyErrors && new lineCounter.LineCounter() || null;
      return { lineCounter: lineCounter$1, prettyErrors };
    }
    function parseAllDocuments3(source, options = {}) {
      const { lineCounter: lineCounter2, prettyErrors } = parseOptions(options);
      const parser$1 = new parser.Parser(lineCounter2?.addNewLine);
      const composer$1 = new composer.Composer(options);
      const docs = Array.from(composer$1.compose(parser$1.parse(source)));
      if (prettyErrors && lineCounter2)
        for (const doc of docs) {
          doc.errors.forEach(errors.prettifyError(source, lineCounter2));
          doc.warnings.forEach(errors.prettifyError(source, lineCounter2));
        }
      if (docs.length > 0)
        return docs;
      return Object.assign([], { empty: true }, composer$1.streamInfo());
    }
    function parseDocument5(source, options = {}) {
      const { lineCounter: lineCounter2, prettyErrors } = parseOptions(options);
      const parser$1 = new parser.Parser(lineCounter2?.addNewLine);
      const composer$1 = new composer.Composer(options);
      let doc = null;
      for (const _doc of composer$1.compose(parser$1.parse(source), true, source.length)) {
        if (!doc)
          doc = _doc;
        else if (doc.options.logLevel !== "silent") {
          doc.errors.push(new errors.YAMLParseError(_doc.range.slice(0, 2), "MULTIPLE_DOCS", "Source contains multiple documents; please use YAML.parseAllDocuments()"));
          break;
        }
      }
      if (prettyErrors && lineCounter2) {
        doc.errors.forEach(errors.prettifyError(source, lineCounter2));
        doc.warnings.forEach(errors.prettifyError(source, lineCounter2));
      }
      return doc;
    }
    function parse2(src, reviver, options) {
      let _reviver = void 0;
      if (typeof reviver === "function") {
        _reviver = reviver;
      } else if (options === void 0 && reviver && typeof reviver === "object") {
        options = reviver;
      }
      const doc = parseDocument5(src, options);
      if (!doc)
        return null;
      doc.warnings.forEach((warning) => log.warn(doc.options.logLevel, warning));
      if (doc.errors.length > 0) {
        if (doc.options.logLevel !== "silent")
          throw doc.errors[0];
        else
          doc.errors = [];
      }
      return doc.toJS(Object.assign({ reviver: _reviver }, options));
    }
    function stringify(value, replacer, options) {
      let _replacer = null;
      if (typeof replacer === "function" || Array.isArray(replacer)) {
        _replacer = replacer;
      } else if (options === void 0 && replacer) {
        options = replacer;
      }
      if (typeof options === "string")
        options = options.length;
      if (typeof options === "number") {
        const indent = Math.round(options);
        options = indent < 1 ? void 0 : indent > 8 ? { indent: 8 } : { indent };
      }
      if (value === void 0) {
        const { keepUndefined } = options ?? replacer ?? {};
        if (!keepUndefined)
          return void 0;
      }
      if (identity.isDocument(value) && !_replacer)
        return value.toString(options);
      return new Document2.Document(value, _replacer, options).toString(options);
    }
    exports.parse = parse2;
    exports.parseAllDocuments = parseAllDocuments3;
    exports.parseDocument = parseDocument5;
    exports.stringify = stringify;
  }
});

// node_modules/yaml/dist/index.js
var require_dist = __commonJS({
  "node_modules/yaml/dist/index.js"(exports) {
    "use strict";
    var composer = require_composer();
    var Document2 = require_Document();
    var Schema = require_Schema();
    var errors = require_errors2();
    var Alias = require_Alias();
    var identity = require_identity();
    var Pair = require_Pair();
    var Scalar2 = require_Scalar();
    var YAMLMap = require_YAMLMap();
    var YAMLSeq = require_YAMLSeq();
    var cst = require_cst();
    var lexer = require_lexer();
    var lineCounter = require_line_counter();
    var parser = require_parser();
    var publicApi = require_public_api();
    var visit2 = require_visit();
    exports.Composer = composer.Composer;
    exports.Document = Document2.Document;
    exports.Schema = Schema.Schema;
    exports.YAMLError = errors.YAMLError;
    exports.YAMLParseError = errors.YAMLParseError;
    exports.YAMLWarning = errors.YAMLWarning;
    exports.Alias = Alias.Alias;
    exports.isAlias = identity.isAlias;
    exports.isCollection = identity.isCollection;
    exports.isDocument = identity.isDocument;
    exports.isMap = identity.isMap;
    exports.isNode = identity.isNode;
    exports.isPair = identity.isPair;
    exports.isScalar = identity.isScalar;
    exports.isSeq = identity.isSeq;
    exports.Pair = Pair.Pair;
    exports.Scalar = Scalar2.Scalar;
    exports.YAMLMap = YAMLMap.YAMLMap;
    exports.YAMLSeq = YAMLSeq.YAMLSeq;
    exports.CST = cst;
    exports.Lexer = lexer.Lexer;
    exports.LineCounter = lineCounter.LineCounter;
    exports.Parser = parser.Parser;
    exports.parse = publicApi.parse;
    exports.parseAllDocuments = publicApi.parseAllDocuments;
    exports.parseDocument = publicApi.parseDocument;
    exports.stringify = publicApi.stringify;
    exports.visit = visit2.visit;
    exports.visitAsync = visit2.visitAsync;
  }
});

// src/cli/main.ts
import { mkdir as mkdir3, readFile as readFile2, stat as stat2, writeFile as writeFile2 } from "node:fs/promises";
import { dirname as dirname2, join as join5, resolve as resolve2 } from "node:path";
import { parseArgs } from "node:util";

// src/config/config.ts
var import_ajv = __toESM(require_ajv(), 1);
var import_yaml2 = __toESM(require_dist(), 1);

// src/load/yaml-path.ts
var import_yaml = __toESM(require_dist(), 1);
function walkPath(doc, root, path) {
  const first = {
    node: root,
    resolved: resolveAlias(doc, root),
    pair: null,
    parent: null,
    start: root.range?.[0] ?? 0,
    viaAlias: false
  };
  const steps = [first];
  let current = first;
  for (let i = 0; i < path.length; i++) {
    const next = step(doc, current, path[i]);
    if (!next) return { steps, missing: path.slice(i) };
    steps.push(next);
    current = next;
  }
  return { steps, missing: [] };
}
function step(doc, from, segment) {
  const container = from.resolved;
  const viaAlias = from.viaAlias || container !== from.node;
  if (typeof segment === "string") {
    if (!(0, import_yaml.isMap)(container)) return null;
    const found = findPair(doc, container, segment);
    if (!found || !isNode(found.pair.value)) return null;
    const value = found.pair.value;
    const keyStart = (0, import_yaml.isScalar)(found.pair.key) ? found.pair.key.range?.[0] : void 0;
    return {
      node: value,
      resolved: resolveAlias(doc, value),
      pair: found.pair,
      parent: found.owner,
      start: keyStart ?? value.range?.[0] ?? from.start,
      viaAlias: viaAlias || found.owner !== container
    };
  }
  if (!(0, import_yaml.isSeq)(container)) return null;
  const item = container.items[typeof segment === "number" ? segment : segment.index];
  if (!isNode(item)) return null;
  const resolved = resolveAlias(doc, item);
  return {
    node: item,
    resolved,
    pair: null,
    parent: container,
    start: resolved.range?.[0] ?? from.start,
    viaAlias: viaAlias || resolved !== item
  };
}
function findPair(doc, map, key, visited = /* @__PURE__ */ new Set()) {
  if (visited.has(map)) return null;
  visited.add(map);
  const merges = [];
  for (const pair of map.items) {
    if (isMergeKey(pair.key)) {
      if (isNode(pair.value)) merges.push(pair.value);
    } else if ((0, import_yaml.isScalar)(pair.key) && String(pair.key.value) === key) return { pair, owner: map };
  }
  for (const merge of merges) {
    const source = resolveAlias(doc, merge);
    const sources = (0, import_yaml.isSeq)(source) ? source.items.filter(isNode).map((n) => resolveAlias(doc, n)) : [source];
    for (const candidate of sources) {
      if (!(0, import_yaml.isMap)(candidate)) continue;
      const found = findPair(doc, candidate, key, visited);
      if (found) return found;
    }
  }
  return null;
}
function isMergeKey(key) {
  if (!(0, import_yaml.isScalar)(key)) return false;
  if (typeof key.value === "symbol") return key.value.description === "<<";
  return key.value === "<<" && (key.type === void 0 || key.type === "PLAIN");
}
function resolveAlias(doc, node) {
  let current = node;
  for (let hops = 0; (0, import_yaml.isAlias)(current) && hops < 16; hops++) {
    const target = current.resolve(doc);
    if (!target) break;
    current = target;
  }
  return current;
}
function isNode(value) {
  return value !== null && typeof value === "object" && !(0, import_yaml.isPair)(value) && "range" in value;
}

// src/load/locate.ts
function locate(yaml, documentIndex, path) {
  const doc = yaml.documents[documentIndex];
  const root = doc?.contents;
  if (!doc || !root) return { line: 1, endLine: 1, exact: false, viaAlias: false };
  const { steps, missing } = walkPath(doc, root, path);
  const last = steps[steps.length - 1] ?? steps[0];
  const line = lineOf(yaml, last.start);
  if (missing.length > 0) return { line, endLine: line, exact: false, viaAlias: last.viaAlias };
  const end = lastContentOffset(yaml.text, last.start, last.node.range?.[1] ?? last.start);
  return { line, endLine: lineOf(yaml, end), exact: true, viaAlias: last.viaAlias };
}
function lineOf(yaml, offset) {
  return yaml.lineCounter.linePos(offset).line;
}
function lastContentOffset(text, start, end) {
  let last = Math.max(start, end - 1);
  while (last > start && /\s/.test(text[last] ?? "")) last--;
  return last;
}

// src/load/yaml-dialect.ts
var KUBERNETES_YAML = {
  version: "1.1",
  merge: true,
  logLevel: "silent",
  customTags: (tags) => tags.filter(
    (tag) => typeof tag === "string" || tag.tag !== "tag:yaml.org,2002:timestamp" && tag.format !== "TIME"
  )
};
var MAX_ALIAS_COUNT = 100;
var TO_JS = { maxAliasCount: MAX_ALIAS_COUNT };
var MAX_NESTING = 100;

// src/model.ts
var SEVERITIES = ["critical", "high", "medium", "low", "info"];
function severityRank(severity) {
  return SEVERITIES.length - SEVERITIES.indexOf(severity);
}
var PSS_LEVELS = ["privileged", "baseline", "restricted"];

// src/config/schema.ts
var level = { enum: [...PSS_LEVELS] };
var stringList = { type: "array", items: { type: "string", minLength: 1 } };
var dnsLabel = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
var CONFIG_SCHEMA = {
  type: "object",
  additionalProperties: false,
  properties: {
    include: stringList,
    exclude: stringList,
    failOn: { enum: [...SEVERITIES, "none"] },
    mode: { enum: ["regressions", "all"] },
    level,
    namespaces: {
      type: "object",
      additionalProperties: { type: "object", additionalProperties: false, properties: { level } }
    },
    rules: { type: "object", additionalProperties: { enum: ["off", ...SEVERITIES] } },
    podTemplates: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["apiVersion", "kind", "path"],
        properties: {
          apiVersion: { type: "string", minLength: 1 },
          kind: { type: "string", minLength: 1 },
          path: { type: "string", pattern: "^[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*$" }
        }
      }
    },
    ignore: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["reason"],
        properties: {
          rules: stringList,
          kind: { type: "string" },
          namespace: { type: "string" },
          name: { type: "string" },
          container: { type: "string" },
          reason: { type: "string" },
          expires: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" }
        }
      }
    },
    compat: { type: "array", items: { enum: ["kube-linter", "checkov", "polaris"] } },
    sandboxRuntimeClasses: stringList,
    helm: {
      type: "object",
      additionalProperties: false,
      properties: {
        charts: {
          type: "array",
          items: {
            type: "object",
            additionalProperties: false,
            required: ["path"],
            properties: {
              path: { type: "string", minLength: 1 },
              values: stringList,
              namespace: { type: "string", pattern: dnsLabel, maxLength: 63 },
              releaseName: { type: "string", pattern: dnsLabel, maxLength: 53 }
            }
          }
        }
      }
    },
    render: {
      type: "object",
      additionalProperties: false,
      properties: {
        enabled: { type: "boolean" },
        timeoutSeconds: { type: "integer", minimum: 1, maximum: 3600 }
      }
    },
    limits: {
      type: "object",
      additionalProperties: false,
      properties: {
        maxFileBytes: { type: "integer", minimum: 1 },
        maxTotalBytes: { type: "integer", minimum: 1 }
      }
    }
  }
};

// src/config/config.ts
var DEFAULT_CONFIG = {
  file: null,
  include: ["**/*.yaml", "**/*.yml", "**/*.json"],
  exclude: [".github/**", "node_modules/**", "vendor/**"],
  failOn: "high",
  mode: "regressions",
  level: "restricted",
  namespaceLevels: {},
  rules: {},
  podTemplates: [],
  ignore: [],
  compat: [],
  sandboxRuntimeClasses: [],
  helm: { charts: [] },
  render: { enabled: true, timeoutSeconds: 60 },
  limits: { maxFileBytes: 5 * 1024 * 1024, maxTotalBytes: 200 * 1024 * 1024 }
};
var validator;
var CONFIG_YAML = { version: "1.2", merge: true, logLevel: "silent" };
function parseConfig(file, text, knownRules) {
  const lineCounter = new import_yaml2.LineCounter();
  const doc = (0, import_yaml2.parseDocument)(text, { ...CONFIG_YAML, lineCounter });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => ({ file, line: lineCounter.linePos(e.pos[0]).line, message: yamlMessage(e.message) }))
    };
  }
  let value;
  try {
    value = doc.toJS(TO_JS) ?? {};
  } catch (error) {
    return { ok: false, errors: [{ file, line: null, message: error instanceof Error ? error.message : String(error) }] };
  }
  const yaml = { text, lineCounter, documents: [doc] };
  const lineAt = (path) => locate(yaml, 0, path).line;
  validator ??= new import_ajv.Ajv({ allErrors: true, strict: false, verbose: true }).compile(CONFIG_SCHEMA);
  if (!validator(value)) {
    const errors2 = (validator.errors ?? []).map((e) => schemaError(file, e, lineAt));
    return { ok: false, errors: errors2.filter((e, i) => errors2.findIndex((o) => o.line === e.line && o.message === e.message) === i) };
  }
  const raw = value;
  const unknownRule = (id) => {
    const near = closest(id, [...knownRules]);
    return `unknown rule "${id}"${near ? ` (did you mean "${near}"?)` : ""}`;
  };
  const errors = [
    ...Object.keys(raw.rules ?? {}).filter((id) => !knownRules.has(id)).map((id) => ({ file, line: lineAt(["rules", id]), message: `rules: ${unknownRule(id)}` })),
    ...(raw.ignore ?? []).flatMap((entry2, i) => [
      ...(entry2.rules ?? []).flatMap(
        (id, j) => knownRules.has(id) ? [] : [{ file, line: lineAt(["ignore", i, "rules", j]), message: `ignore[${i}].rules: ${unknownRule(id)}` }]
      ),
      ...entry2.expires !== void 0 && !isCalendarDate(entry2.expires) ? [{ file, line: lineAt(["ignore", i, "expires"]), message: `ignore[${i}].expires: "${entry2.expires}" is not a date (YYYY-MM-DD)` }] : []
    ])
  ];
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    config: {
      file,
      include: raw.include ?? DEFAULT_CONFIG.include,
      exclude: raw.exclude ?? DEFAULT_CONFIG.exclude,
      failOn: raw.failOn ?? DEFAULT_CONFIG.failOn,
      mode: raw.mode ?? DEFAULT_CONFIG.mode,
      level: raw.level ?? DEFAULT_CONFIG.level,
      namespaceLevels: Object.fromEntries(
        Object.entries(raw.namespaces ?? {}).flatMap(([ns, v]) => v.level ? [[ns, v.level]] : [])
      ),
      rules: raw.rules ?? {},
      podTemplates: (raw.podTemplates ?? []).map((t) => ({ apiVersion: t.apiVersion, kind: t.kind, path: t.path.split(".") })),
      ignore: (raw.ignore ?? []).map((entry2, i) => ({
        rules: entry2.rules ?? [],
        kind: entry2.kind ?? null,
        namespace: entry2.namespace ?? null,
        name: entry2.name ?? null,
        container: entry2.container ?? null,
        reason: entry2.reason.trim(),
        expires: entry2.expires ?? null,
        line: lineAt(["ignore", i])
      })),
      compat: raw.compat ?? [],
      sandboxRuntimeClasses: raw.sandboxRuntimeClasses ?? [],
      helm: {
        charts: (raw.helm?.charts ?? []).map((c) => ({
          path: c.path,
          values: c.values ?? [],
          namespace: c.namespace ?? null,
          releaseName: c.releaseName ?? null
        }))
      },
      render: {
        enabled: raw.render?.enabled ?? DEFAULT_CONFIG.render.enabled,
        timeoutSeconds: raw.render?.timeoutSeconds ?? DEFAULT_CONFIG.render.timeoutSeconds
      },
      limits: {
        maxFileBytes: raw.limits?.maxFileBytes ?? DEFAULT_CONFIG.limits.maxFileBytes,
        maxTotalBytes: raw.limits?.maxTotalBytes ?? DEFAULT_CONFIG.limits.maxTotalBytes
      }
    }
  };
}
var TYPE_WORDS = {
  array: "a list",
  object: "a map of keys to values",
  string: "a string",
  boolean: "true or false",
  number: "a number",
  integer: "a whole number"
};
var PATTERN_WORDS = {
  expires: "a date as YYYY-MM-DD",
  path: "a dotted field path such as spec.template",
  namespace: "a lowercase DNS label such as web-prod",
  releaseName: "a lowercase DNS label such as web-prod"
};
function schemaError(file, error, lineAt) {
  const path = error.instancePath.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~")).map((s) => /^\d+$/.test(s) ? Number(s) : s);
  const keyOf = (p) => p.length === 0 ? "(top level)" : p.map((s) => typeof s === "number" ? `[${s}]` : `.${s}`).join("").replace(/^\./, "");
  const key = keyOf(path);
  const params = error.params;
  let message = `${key}: ${error.message ?? "is invalid"}`;
  if (error.keyword === "additionalProperties") {
    const extra = String(params.additionalProperty);
    const known2 = Object.keys(error.parentSchema?.properties ?? {});
    const near = closest(extra, known2);
    path.push(extra);
    message = `${keyOf(path)}: unknown option${near ? ` (did you mean "${near}"?)` : ""}`;
  } else if (error.keyword === "required") {
    const missing = String(params.missingProperty);
    message = `${keyOf(path)}: needs "${missing}"${missing === "reason" ? " (every suppression states its reason)" : ""}`;
  } else if (error.keyword === "enum") {
    message = `${key}: must be one of ${(params.allowedValues ?? []).join(", ")}`;
  } else if (error.keyword === "type") {
    message = `${key}: must be ${TYPE_WORDS[String(params.type)] ?? String(params.type)}`;
  } else if (error.keyword === "pattern") {
    const last = path[path.length - 1];
    const words = typeof last === "string" ? PATTERN_WORDS[last] : void 0;
    if (words) message = `${key}: must be ${words}`;
  } else if (error.keyword === "minLength") {
    message = `${key}: must not be empty`;
  }
  return { file, line: lineAt(path), message };
}
function yamlMessage(message) {
  const first = message.split("\n")[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?$/, "");
}
function isCalendarDate(text) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
function closest(word, candidates) {
  let best;
  let bestDistance = Math.max(2, Math.floor(word.length / 4)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
function editDistance(a, b) {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

// src/config/init.ts
var INIT_CONFIG = `# kube-ratchet configuration: https://github.com/kube-ratchet/kube-ratchet/blob/main/docs/configuration.md
# Every option is shown with its default value. A pull request that changes this file is judged
# by its own version of it, and the review lists what the change weakens.

# Which files hold manifests (globs over repository paths; ** spans folders).
include: ["**/*.yaml", "**/*.yml", "**/*.json"]
exclude: [".github/**", "node_modules/**", "vendor/**"]

# The lowest severity of a NEW finding that fails the check: critical, high, medium, low, info or none.
failOn: high

# regressions: only new findings fail. all: findings already there fail too (a full gate).
mode: regressions

# The Pod Security Standards level that matters: privileged, baseline or restricted.
# A Namespace in the repository with a pod-security.kubernetes.io/enforce label sets the level
# of its workloads, unless a namespace below says otherwise.
level: restricted
namespaces: {}
# namespaces:
#   monitoring:
#     level: baseline

# Per rule: off, or a severity that replaces the rule's own.
rules: {}
# rules:
#   image-digest-unpinned: off
#   resource-limits-missing: medium

# Pod templates of custom resources beyond the built-in ones (Argo Rollouts, Knative Service,
# OpenKruise CloneSet and Advanced StatefulSet/DaemonSet, KEDA ScaledJob).
podTemplates: []
# podTemplates:
#   - apiVersion: example.com/v1
#     kind: Worker
#     path: spec.template

# Accountable exceptions: every entry needs a reason; an expired entry stops working and is reported.
ignore: []
# ignore:
#   - rules: [pss-host-path-volumes]
#     kind: DaemonSet
#     namespace: logging
#     name: "fluent-bit*"
#     reason: reads node logs from /var/log
#     expires: 2027-01-31

# Honour the suppression annotations of other tools: kube-linter, checkov, polaris.
compat: []
# compat: [kube-linter, checkov, polaris]

# RuntimeClass names that count as sandboxes, beyond gVisor and Kata.
sandboxRuntimeClasses: []
# sandboxRuntimeClasses: [firecracker]

# Kustomize overlays and Helm charts are built, and what they render is checked; each build or
# render may take timeoutSeconds.
render: {enabled: true, timeoutSeconds: 60}

# Input limits, in bytes: a larger manifest, and any manifest past the total, is skipped and reported.
limits: {maxFileBytes: 5242880, maxTotalBytes: 209715200}

# Helm charts rendered with settings of their own; any other chart renders once with its values.yaml.
helm: {charts: []}
# helm:
#   charts:
#     - path: charts/web
#       values: [values-prod.yaml]
#       namespace: prod
#       releaseName: web
`;

// src/config/load.ts
import { readFile } from "node:fs/promises";

// src/rules/rule.ts
function appliesTo(patterns, group, kind) {
  return patterns.some((pattern) => {
    if (pattern === "*") return true;
    const slash = pattern.lastIndexOf("/");
    const patternGroup = pattern.slice(0, slash);
    const patternKind = pattern.slice(slash + 1);
    return patternGroup === group && (patternKind === "*" || patternKind === kind);
  });
}
function formatMessage(template, data) {
  return template.replace(
    /\{\{\s*(\w+)\s*\}\}/g,
    (whole, key) => data && key in data ? String(data[key]) : whole
  );
}

// src/extract/identity.ts
var CLUSTER_SCOPED = /* @__PURE__ */ new Set([
  "/Namespace",
  "/Node",
  "/PersistentVolume",
  "/ComponentStatus",
  "rbac.authorization.k8s.io/ClusterRole",
  "rbac.authorization.k8s.io/ClusterRoleBinding",
  "storage.k8s.io/StorageClass",
  "storage.k8s.io/CSIDriver",
  "storage.k8s.io/CSINode",
  "storage.k8s.io/VolumeAttachment",
  "apiextensions.k8s.io/CustomResourceDefinition",
  "apiregistration.k8s.io/APIService",
  "admissionregistration.k8s.io/MutatingWebhookConfiguration",
  "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
  "admissionregistration.k8s.io/ValidatingAdmissionPolicy",
  "admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding",
  "admissionregistration.k8s.io/MutatingAdmissionPolicy",
  "admissionregistration.k8s.io/MutatingAdmissionPolicyBinding",
  "admissionregistration.k8s.io/InitializerConfiguration",
  "scheduling.k8s.io/PriorityClass",
  "node.k8s.io/RuntimeClass",
  "networking.k8s.io/IngressClass",
  "networking.k8s.io/IPAddress",
  "networking.k8s.io/ServiceCIDR",
  "certificates.k8s.io/CertificateSigningRequest",
  "certificates.k8s.io/ClusterTrustBundle",
  "policy/PodSecurityPolicy",
  "extensions/PodSecurityPolicy",
  "flowcontrol.apiserver.k8s.io/FlowSchema",
  "flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration",
  "templates.gatekeeper.sh/ConstraintTemplate",
  "kyverno.io/ClusterPolicy",
  "cert-manager.io/ClusterIssuer",
  "gateway.networking.k8s.io/GatewayClass"
]);
var CLUSTER_SCOPED_GROUPS = /* @__PURE__ */ new Set(["constraints.gatekeeper.sh"]);
function groupOf(apiVersion) {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}
function isClusterScoped(group, kind) {
  return CLUSTER_SCOPED.has(`${group}/${kind}`) || CLUSTER_SCOPED_GROUPS.has(group);
}
function makeIdentity(apiVersion, kind, namespace, name) {
  const group = groupOf(apiVersion);
  return {
    group,
    kind,
    namespace: isClusterScoped(group, kind) ? null : namespace || "default",
    name
  };
}
function identityKey(id) {
  return `${id.group}/${id.kind}/${id.namespace ?? ""}/${id.name}`;
}
function displayName(id) {
  return id.namespace === null ? id.name : `${id.namespace}/${id.name}`;
}

// src/extract/json.ts
function asObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value : void 0;
}
function asArray(value) {
  return Array.isArray(value) ? value : [];
}
function asString(value) {
  return typeof value === "string" ? value : void 0;
}
function getIn(value, keys) {
  let current = value;
  for (const key of keys) {
    const object = asObject(current);
    if (!object) return void 0;
    current = object[key];
  }
  return current;
}
function childAt(value, segment) {
  if (Array.isArray(value)) return value[typeof segment === "number" ? segment : typeof segment === "string" ? -1 : segment.index];
  if (value !== null && typeof value === "object" && typeof segment === "string") return value[segment];
  return void 0;
}
function valueAt(root, path) {
  let current = root;
  for (const segment of path) current = childAt(current, segment);
  return current;
}
function sameJson(a, b) {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  }
  const x = asObject(a);
  const y = asObject(b);
  if (!x || !y) return false;
  for (const key of /* @__PURE__ */ new Set([...Object.keys(x), ...Object.keys(y)])) if (!sameJson(x[key], y[key])) return false;
  return true;
}

// src/extract/pod-template.ts
var CONTAINER_LISTS = ["initContainers", "containers", "ephemeralContainers"];
var TEMPLATE = ["spec", "template"];
var BUILTIN_POD_TEMPLATES = /* @__PURE__ */ new Map([
  ["/Pod", []],
  ["/PodTemplate", ["template"]],
  ["/ReplicationController", TEMPLATE],
  ["apps/ReplicaSet", TEMPLATE],
  ["extensions/ReplicaSet", TEMPLATE],
  ["apps/Deployment", TEMPLATE],
  ["extensions/Deployment", TEMPLATE],
  ["apps/StatefulSet", TEMPLATE],
  ["apps/DaemonSet", TEMPLATE],
  ["extensions/DaemonSet", TEMPLATE],
  ["batch/Job", TEMPLATE],
  ["batch/CronJob", ["spec", "jobTemplate", "spec", "template"]],
  // Custom resources that run pods from an embedded PodTemplateSpec, as common as the built-in kinds.
  // Argo Rollouts: a Rollout that points at a Deployment with `spec.workloadRef` has no template of
  // its own (the Deployment is checked where it is defined).
  ["argoproj.io/Rollout", TEMPLATE],
  // Knative Serving: the revision template (`spec.template.spec.containers`).
  ["serving.knative.dev/Service", TEMPLATE],
  // OpenKruise: CloneSet, Advanced StatefulSet and Advanced DaemonSet.
  ["apps.kruise.io/CloneSet", TEMPLATE],
  ["apps.kruise.io/StatefulSet", TEMPLATE],
  ["apps.kruise.io/DaemonSet", TEMPLATE],
  // KEDA: a ScaledJob embeds a Job spec.
  ["keda.sh/ScaledJob", ["spec", "jobTargetRef", "template"]]
]);
var known = /* @__PURE__ */ new WeakMap();
function podTemplateOf(resource, table = BUILTIN_POD_TEMPLATES) {
  const found = known.get(resource);
  if (found?.table === table) return found.template;
  const template = templateOf(resource, table);
  known.set(resource, { table, template });
  return template;
}
function templateOf(resource, table) {
  const prefix = table.get(`${resource.identity.group}/${resource.identity.kind}`);
  if (!prefix) return null;
  const holder = prefix.length === 0 ? resource.object : asObject(getIn(resource.object, prefix));
  const spec2 = asObject(holder?.spec);
  if (!holder || !spec2) return null;
  const specPath = [...prefix, "spec"];
  const containers = [];
  for (const list2 of CONTAINER_LISTS) {
    asArray(spec2[list2]).forEach((item, index) => {
      const container = asObject(item);
      if (!container) return;
      const name = asString(container.name) ?? `#${index + 1}`;
      const ref = { index, key: "name", value: name };
      containers.push({ name, list: list2, path: [...specPath, list2, ref], spec: container });
    });
  }
  return { metadataPath: [...prefix, "metadata"], specPath, metadata: asObject(holder.metadata) ?? {}, spec: spec2, containers };
}

// src/load/parse.ts
var import_yaml3 = __toESM(require_dist(), 1);
var MAX_PROBLEMS_PER_FILE = 20;
var utf8 = new TextDecoder("utf-8", { fatal: true });
function parseManifestFile(path, bytes) {
  const notText = notTextReason(bytes);
  if (notText) return { kind: "skipped", reason: notText };
  let text;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { kind: "parsed", yaml: emptyYaml(), problems: [{ line: firstInvalidUtf8Line(bytes), message: "not valid UTF-8" }] };
  }
  if (text.charCodeAt(0) === 65279) text = text.slice(1);
  if (hasTemplateSyntax(text)) {
    return { kind: "skipped", reason: "template syntax ({{ \u2026 }}): not plain YAML until rendered" };
  }
  if (path.endsWith(".json") && text.trim() === "") {
    return { kind: "parsed", yaml: emptyYaml(), problems: [{ line: 1, message: "empty JSON file" }] };
  }
  const lineCounter = new import_yaml3.LineCounter();
  const documents = parseYamlDocuments(text, lineCounter);
  const problems = documents.flatMap(
    (doc) => doc.errors.map((error) => ({ line: lineCounter.linePos(error.pos[0]).line, message: firstLine(error.message) }))
  );
  return { kind: "parsed", yaml: { text, lineCounter, documents }, problems: capProblems(problems) };
}
function parseYamlDocuments(text, lineCounter = new import_yaml3.LineCounter()) {
  const composer = new import_yaml3.Composer(KUBERNETES_YAML);
  const tooDeep = [];
  function* guarded(tokens) {
    for (const token2 of tokens) {
      if (token2.type === "document") {
        const offset = token2.value ? deeperThan(token2.value, MAX_NESTING) : null;
        tooDeep.push(offset);
        if (offset !== null) yield { ...token2, value: void 0 };
        else yield token2;
      } else yield token2;
    }
  }
  const documents = Array.from(composer.compose(guarded(new import_yaml3.Parser(lineCounter.addNewLine).parse(text))));
  documents.forEach((doc, i) => {
    const offset = tooDeep[i];
    if (offset === null || offset === void 0) return;
    doc.errors.push(
      new import_yaml3.YAMLParseError([offset, offset + 1], "RESOURCE_EXHAUSTION", `nested more than ${MAX_NESTING} levels deep: not read`)
    );
  });
  return documents;
}
function deeperThan(root, max) {
  const stack = [[root, 1]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [token2, depth] = next;
    if (token2.type !== "block-map" && token2.type !== "block-seq" && token2.type !== "flow-collection") continue;
    if (depth > max) return token2.offset;
    for (const item of token2.items) {
      if ("key" in item && item.key) stack.push([item.key, depth + 1]);
      if (item.value) stack.push([item.value, depth + 1]);
    }
  }
  return null;
}
function capProblems(problems) {
  if (problems.length <= MAX_PROBLEMS_PER_FILE) return problems;
  const shown2 = problems.slice(0, MAX_PROBLEMS_PER_FILE - 1);
  return [...shown2, { line: null, message: `${problems.length - shown2.length} more problems in this file not listed` }];
}
function emptyYaml() {
  return { text: "", lineCounter: new import_yaml3.LineCounter(), documents: [] };
}
function firstLine(message) {
  return message.split("\n", 1)[0] ?? message;
}
function notTextReason(bytes) {
  if (isUtf16(bytes)) return "UTF-16 encoded file: not read (manifests are UTF-8)";
  if (bytes.includes(0)) return "binary file (contains NUL bytes)";
  return null;
}
function isUtf16(bytes) {
  return bytes.length >= 2 && (bytes[0] === 255 && bytes[1] === 254 || bytes[0] === 254 && bytes[1] === 255);
}
function firstInvalidUtf8Line(bytes) {
  let line = 1;
  let start = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(10, start);
    if (end < 0) end = bytes.length;
    try {
      utf8.decode(bytes.subarray(start, end));
    } catch {
      return line;
    }
    start = end + 1;
    line++;
  }
  return 1;
}
function hasTemplateSyntax(text) {
  if (!text.includes("{{")) return false;
  let previous = "";
  for (const token2 of new import_yaml3.Lexer().lex(text)) {
    if (token2 === "{" && previous === "{") return true;
    previous = token2;
  }
  return false;
}

// src/load/plain-value.ts
var import_yaml4 = __toESM(require_dist(), 1);
var NOT_PLAIN = /* @__PURE__ */ Symbol("not plain");
function plainValue(doc) {
  return valueOf(doc.contents);
}
function valueOf(node) {
  if (node === null || node === void 0) return node;
  if ((0, import_yaml4.isScalar)(node)) return isJsonScalar(node.value) ? node.value : NOT_PLAIN;
  if ((0, import_yaml4.isMap)(node)) {
    if (node.tag !== void 0) return NOT_PLAIN;
    const object = {};
    for (const { key, value } of node.items) {
      let name;
      if (key === null) name = "";
      else if (key === void 0) name = "undefined";
      else if ((0, import_yaml4.isScalar)(key) && isJsonScalar(key.value) && key.value !== "<<") name = key.value === null ? "" : String(key.value);
      else return NOT_PLAIN;
      const item = valueOf(value);
      if (item === NOT_PLAIN) return NOT_PLAIN;
      if (name === "__proto__") {
        Object.defineProperty(object, name, { value: item, writable: true, enumerable: true, configurable: true });
      } else object[name] = item;
    }
    return object;
  }
  if ((0, import_yaml4.isSeq)(node)) {
    if (node.tag !== void 0) return NOT_PLAIN;
    const list2 = [];
    for (const item of node.items) {
      const value = (0, import_yaml4.isPair)(item) ? NOT_PLAIN : valueOf(item);
      if (value === NOT_PLAIN) return NOT_PLAIN;
      list2.push(value);
    }
    return list2;
  }
  return NOT_PLAIN;
}
function isJsonScalar(value) {
  return value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

// src/extract/structure.ts
var SECURITY_CONTEXT_COMMON = {
  runAsNonRoot: "bool",
  seccompProfile: "map",
  seLinuxOptions: "map",
  appArmorProfile: "map",
  windowsOptions: "map"
};
var CONTAINER = {
  map: {
    securityContext: {
      map: {
        ...SECURITY_CONTEXT_COMMON,
        capabilities: { map: { add: "list", drop: "list" } },
        privileged: "bool",
        allowPrivilegeEscalation: "bool",
        readOnlyRootFilesystem: "bool"
      }
    },
    env: { list: "map" },
    envFrom: { list: "map" },
    ports: { list: "map" },
    volumeMounts: { list: "map" },
    resources: { map: { limits: "map", requests: "map" } },
    livenessProbe: "map",
    readinessProbe: "map",
    startupProbe: "map",
    lifecycle: "map"
  }
};
var POD_SPEC = {
  map: {
    containers: { list: CONTAINER },
    initContainers: { list: CONTAINER },
    ephemeralContainers: { list: CONTAINER },
    volumes: { list: "map" },
    securityContext: { map: { ...SECURITY_CONTEXT_COMMON, sysctls: { list: "map" } } },
    hostNetwork: "bool",
    hostPID: "bool",
    hostIPC: "bool",
    hostUsers: "bool",
    automountServiceAccountToken: "bool"
  }
};
var POD_METADATA = { map: { annotations: "map", labels: "map" } };
var OBJECT_METADATA = { map: { name: "string", namespace: "string", generateName: "string", annotations: "map", labels: "map" } };
function structureProblems(resource, table = BUILTIN_POD_TEMPLATES) {
  const problems = [];
  const object = resource.object;
  check(object.metadata, OBJECT_METADATA, ["metadata"], problems);
  const prefix = table.get(`${resource.identity.group}/${resource.identity.kind}`);
  if (!prefix) return problems;
  let holder = object;
  const path = [];
  for (const key of prefix) {
    if (!isMap3(holder)) return problems;
    holder = holder[key];
    path.push(key);
    if (holder === void 0 || holder === null) return problems;
    if (!isMap3(holder)) {
      wrongType(path, "a map", problems);
      return problems;
    }
  }
  if (!isMap3(holder)) return problems;
  check(holder.spec, POD_SPEC, [...path, "spec"], problems);
  if (prefix.length > 0) check(holder.metadata, POD_METADATA, [...path, "metadata"], problems);
  return problems;
}
function check(value, shape, path, problems) {
  if (value === void 0 || value === null) return;
  if (shape === "string") {
    if (typeof value !== "string") wrongType(path, "a string", problems);
    return;
  }
  if (shape === "bool") {
    if (typeof value !== "boolean") wrongType(path, "true or false", problems);
    return;
  }
  const wantsList = shape === "list" || typeof shape === "object" && "list" in shape;
  if (wantsList) {
    if (!Array.isArray(value)) {
      wrongType(path, "a list", problems);
      return;
    }
    if (typeof shape === "object" && "list" in shape) {
      for (let index = 0; index < value.length; index++) inside(value[index], shape.list, index, path, problems);
    }
    return;
  }
  if (!isMap3(value)) {
    wrongType(path, "a map", problems);
    return;
  }
  if (typeof shape === "object" && "map" in shape) {
    for (const key in shape.map) inside(value[key], shape.map[key], key, path, problems);
  }
}
function wrongType(path, what, problems) {
  problems.push({ path: [...path], message: `${display(path)} must be ${what}` });
}
function inside(value, shape, step2, path, problems) {
  path.push(step2);
  check(value, shape, path, problems);
  path.pop();
}
function isMap3(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
function display(path) {
  let out = "";
  for (const segment of path) out += typeof segment === "number" ? `[${segment}]` : out === "" ? segment : `.${segment}`;
  return out;
}
var structural = /* @__PURE__ */ new WeakSet();
function markStructural(problem) {
  structural.add(problem);
  return problem;
}

// src/extract/resources.ts
var CONFIG_GROUPS = /* @__PURE__ */ new Set(["kustomize.config.k8s.io", "config.kubernetes.io"]);
function extractResources(file, yaml, podTemplates = BUILTIN_POD_TEMPLATES) {
  const resources = [];
  const problems = [];
  const lineOf3 = (documentIndex, path) => locate(yaml, documentIndex, path).line;
  const add = (resource) => {
    resources.push(resource);
    for (const problem of structureProblems(resource, podTemplates)) {
      problems.push(markStructural({ line: lineOf3(resource.documentIndex, [...resource.documentPath, ...problem.path]), message: problem.message }));
    }
  };
  yaml.documents.forEach((doc, documentIndex) => {
    if (doc.errors.length > 0) return;
    const value = documentValue(doc);
    if (value instanceof Error) {
      problems.push({ line: yaml.lineCounter.linePos(doc.contents?.range[0] ?? doc.range[0]).line, message: value.message });
      return;
    }
    const object = asObject(value);
    if (!object) return;
    const header = headerProblem(object);
    if (header) {
      problems.push({ line: lineOf3(documentIndex, [header.key]), message: header.message });
      return;
    }
    if (!isObjectHeader(object)) return;
    const kind = object.kind;
    const items = object.items;
    if (kind.endsWith("List") && items !== void 0 && !Array.isArray(items)) {
      if (items !== null) problems.push({ line: lineOf3(documentIndex, ["items"]), message: `${kind} items must be a list` });
      return;
    }
    if (kind.endsWith("List") && Array.isArray(items)) {
      items.forEach((item, index) => {
        const itemObject = asObject(item);
        const itemHeader = itemObject ? headerProblem(itemObject) : null;
        if (itemObject && itemHeader) {
          problems.push({ line: lineOf3(documentIndex, ["items", index, itemHeader.key]), message: `${kind} item ${index + 1}: ${itemHeader.message}` });
        } else if (itemObject && isObjectHeader(itemObject)) {
          add(toResource(file, yaml, documentIndex, ["items", index], itemObject));
        } else {
          const line = lineOf3(documentIndex, ["items", index]);
          problems.push({ line, message: `${kind} item ${index + 1} is not a Kubernetes object (needs apiVersion and kind)` });
        }
      });
      return;
    }
    add(toResource(file, yaml, documentIndex, [], object));
  });
  return { resources, problems: capProblems(problems) };
}
function documentValue(doc) {
  const plain = plainValue(doc);
  if (plain !== NOT_PLAIN) return plain;
  try {
    const value = doc.toJS(TO_JS);
    const shape = shapeProblem(value);
    if (shape === "circular") return new Error("an alias refers to a node that contains it (circular reference)");
    if (shape === "deep") return new Error(`nested more than ${MAX_NESTING} levels deep once aliases are expanded: not read`);
    return value;
  } catch (error) {
    return new Error(error instanceof Error ? error.message : String(error));
  }
}
function shapeProblem(root) {
  if (root === null || typeof root !== "object") return null;
  const heights = /* @__PURE__ */ new Map();
  const onPath2 = /* @__PURE__ */ new Set();
  const stack = [{ value: root, children: Object.values(root), next: 0, height: 1 }];
  onPath2.add(root);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame.next >= frame.children.length) {
      stack.pop();
      onPath2.delete(frame.value);
      heights.set(frame.value, frame.height);
      const parent = stack[stack.length - 1];
      if (parent) parent.height = Math.max(parent.height, frame.height + 1);
      continue;
    }
    const child = frame.children[frame.next++];
    if (child === null || typeof child !== "object") continue;
    if (onPath2.has(child)) return "circular";
    const known2 = heights.get(child);
    if (known2 !== void 0) {
      if (stack.length + known2 > MAX_NESTING) return "deep";
      frame.height = Math.max(frame.height, known2 + 1);
      continue;
    }
    if (stack.length >= MAX_NESTING) return "deep";
    onPath2.add(child);
    stack.push({ value: child, children: Object.values(child), next: 0, height: 1 });
  }
  return null;
}
function headerProblem(object) {
  if (object.apiVersion === void 0 || object.apiVersion === null || object.kind === void 0 || object.kind === null) return null;
  for (const key of ["apiVersion", "kind"]) {
    const value = object[key];
    if (typeof value !== "string" || value === "") return { key, message: `${key} must be a non-empty string` };
  }
  return null;
}
function isObjectHeader(object) {
  const apiVersion = asString(object.apiVersion);
  const kind = asString(object.kind);
  if (!apiVersion || !kind) return false;
  return !CONFIG_GROUPS.has(groupOf(apiVersion));
}
function toResource(file, yaml, documentIndex, documentPath, object) {
  const metadata = asObject(object.metadata);
  const name = asString(metadata?.name) ?? asString(metadata?.generateName) ?? "";
  const apiVersion = asString(object.apiVersion) ?? "";
  return {
    identity: makeIdentity(apiVersion, asString(object.kind) ?? "", asString(metadata?.namespace), name),
    apiVersion,
    file,
    documentIndex,
    documentPath,
    object,
    line: locate(yaml, documentIndex, documentPath).line
  };
}

// src/evaluate/path.ts
function displayPath(path) {
  let out = "";
  for (const segment of path) out += displaySegment(segment, out === "");
  return out;
}
function displaySegment(segment, first) {
  if (typeof segment === "string" && !/^[A-Za-z0-9_-]+$/.test(segment)) return `[${JSON.stringify(segment)}]`;
  if (typeof segment === "string") return first ? segment : `.${segment}`;
  if (typeof segment === "number") return `[${segment}]`;
  return segment.key === null ? `[${segment.value}]` : `[${segment.key}=${segment.value}]`;
}

// src/evaluate/suppressions.ts
var IGNORE_ANNOTATION = "kube-ratchet.io/ignore";
var KUBE_LINTER_PREFIX = "ignore-check.kube-linter.io/";
var KUBE_LINTER = {
  "privileged-container": ["pss-privileged"],
  "host-network": ["pss-host-namespaces"],
  "host-pid": ["pss-host-namespaces"],
  "host-ipc": ["pss-host-namespaces"],
  "privilege-escalation-container": ["pss-allow-privilege-escalation"],
  // passes with runAsNonRoot: true or a non-zero runAsUser
  "run-as-non-root": ["pss-run-as-non-root", "pss-run-as-user"],
  "unsafe-sysctls": ["pss-sysctls"],
  "unsafe-proc-mount": ["pss-proc-mount", "pss-proc-mount-restricted"],
  "sensitive-host-mounts": ["pss-host-path-volumes"],
  "docker-sock": ["pss-host-path-volumes"],
  "writable-host-mount": ["pss-host-path-volumes"],
  "latest-tag": ["image-tag-mutable"],
  "no-read-only-root-fs": ["readonly-rootfs-missing"],
  "unset-memory-requirements": ["resource-limits-missing"],
  "env-var-secret": ["secret-env-literal"],
  "wildcard-in-rules": ["rbac-wildcard"],
  "access-to-secrets": ["rbac-secrets-access"],
  "cluster-admin-role-binding": ["rbac-cluster-admin-binding"],
  "exposed-services": ["service-exposed"]
};
var CHECKOV = {
  CKV_K8S_13: ["resource-limits-missing"],
  // memory limits
  CKV_K8S_14: ["image-tag-mutable"],
  // image tag fixed, not latest or blank
  CKV_K8S_16: ["pss-privileged"],
  CKV_K8S_17: ["pss-host-namespaces"],
  // hostPID
  CKV_K8S_18: ["pss-host-namespaces"],
  // hostIPC
  CKV_K8S_19: ["pss-host-namespaces"],
  // hostNetwork
  CKV_K8S_20: ["pss-allow-privilege-escalation"],
  CKV_K8S_22: ["readonly-rootfs-missing"],
  CKV_K8S_23: ["pss-run-as-non-root", "pss-run-as-user"],
  // root containers: runAsNonRoot, or runAsUser > 0
  CKV_K8S_25: ["pss-capabilities-baseline", "pss-capabilities-restricted"],
  // any added capability
  CKV_K8S_26: ["pss-host-ports"],
  CKV_K8S_27: ["pss-host-path-volumes"],
  // docker socket
  CKV_K8S_31: ["pss-seccomp-profile-baseline", "pss-seccomp-profile-restricted"],
  // RuntimeDefault required
  CKV_K8S_37: ["pss-capabilities-restricted"],
  // capabilities.drop must hold ALL
  CKV_K8S_38: ["service-account-token-automount"],
  CKV_K8S_39: ["pss-capabilities-baseline"],
  // SYS_ADMIN added
  CKV_K8S_43: ["image-digest-unpinned"],
  CKV_K8S_49: ["rbac-wildcard"],
  CKV_K8S_153: ["ingress-nginx-snippet"],
  // every ingress-nginx snippet annotation (CVE-2021-25742)
  CKV_K8S_155: ["rbac-privilege-escalation"],
  // control over admission webhook configurations
  CKV_K8S_156: ["rbac-privilege-escalation"],
  // approving certificate signing requests
  CKV_K8S_157: ["rbac-privilege-escalation"],
  // bind
  CKV_K8S_158: ["rbac-privilege-escalation"]
  // escalate
};
var POLARIS = {
  runAsPrivileged: ["pss-privileged"],
  hostNetworkSet: ["pss-host-namespaces"],
  hostPIDSet: ["pss-host-namespaces"],
  hostIPCSet: ["pss-host-namespaces"],
  hostPortSet: ["pss-host-ports"],
  hostPathSet: ["pss-host-path-volumes"],
  hostProcess: ["pss-windows-host-process"],
  procMount: ["pss-proc-mount", "pss-proc-mount-restricted"],
  privilegeEscalationAllowed: ["pss-allow-privilege-escalation"],
  // passes with runAsNonRoot: true or a non-zero runAsUser
  runAsRootAllowed: ["pss-run-as-non-root", "pss-run-as-user"],
  // ALL, SYS_ADMIN or NET_ADMIN added
  dangerousCapabilities: ["pss-capabilities-baseline"],
  // capabilities.drop must hold ALL (or every capability of the default set)
  insecureCapabilities: ["pss-capabilities-restricted"],
  notReadOnlyRootFilesystem: ["readonly-rootfs-missing"],
  tagNotSpecified: ["image-tag-mutable"],
  memoryLimitsMissing: ["resource-limits-missing"],
  automountServiceAccountToken: ["service-account-token-automount"],
  sensitiveContainerEnvVar: ["secret-env-literal"],
  clusterrolebindingClusterAdmin: ["rbac-cluster-admin-binding"],
  rolebindingClusterAdminClusterRole: ["rbac-cluster-admin-binding"],
  rolebindingClusterAdminRole: ["rbac-cluster-admin-binding"]
};
function readSuppressions(resource, pod, compat, yaml) {
  const places = [["metadata"]];
  if (pod && pod.metadataPath.length > 1) places.push(pod.metadataPath);
  const found = [];
  for (const place of places) {
    const metadata = place === pod?.metadataPath ? pod.metadata : asObject(resource.object.metadata);
    const annotations = asObject(metadata?.annotations);
    if (!annotations) continue;
    for (const [key, raw] of Object.entries(annotations)) {
      const value = asString(raw) ?? "";
      const parsed = parseAnnotation(key, value, compat);
      if (!parsed) continue;
      const path = [...place, "annotations", key];
      const line = locate(yaml, resource.documentIndex, [...resource.documentPath, ...path]).line;
      found.push({ ...parsed, key, value, file: resource.file, line, path });
    }
  }
  return found;
}
function parseAnnotation(key, value, compat) {
  if (key === IGNORE_ANNOTATION || key.startsWith(`${IGNORE_ANNOTATION}.`)) {
    const container = key === IGNORE_ANNOTATION ? null : key.slice(IGNORE_ANNOTATION.length + 1);
    const colon = value.indexOf(":");
    const ids = (colon < 0 ? value : value.slice(0, colon)).split(",").map((s) => s.trim()).filter(Boolean);
    const reason = colon < 0 ? "" : value.slice(colon + 1).trim();
    return { source: "annotation", rules: ids, container, reason: reason || null };
  }
  if (compat.includes("kube-linter") && key.startsWith(KUBE_LINTER_PREFIX)) {
    const rules = KUBE_LINTER[key.slice(KUBE_LINTER_PREFIX.length)];
    return rules ? { source: "kube-linter", rules: [...rules], container: null, reason: value.trim() || null } : null;
  }
  if (compat.includes("checkov") && /^(?:checkov|bridgecrew)\.io\/skip[\w.-]*$/.test(key)) {
    const equals = value.indexOf("=");
    const id = (equals < 0 ? value : value.slice(0, equals)).trim();
    const rules = CHECKOV[id];
    return rules ? { source: "checkov", rules: [...rules], container: null, reason: equals < 0 ? null : value.slice(equals + 1).trim() || null } : null;
  }
  const polaris = /^polaris\.fairwinds\.com\/(\w+)-exempt$/.exec(key);
  if (compat.includes("polaris") && polaris) {
    const rules = POLARIS[polaris[1]];
    return rules && value.trim().toLowerCase() === "true" ? { source: "polaris", rules: [...rules], container: null, reason: "Polaris exemption" } : null;
  }
  return null;
}

// src/evaluate/posture.ts
function postureOf(fired) {
  if (fired.some((meta) => meta.pss?.level === "baseline")) return "privileged";
  if (fired.some((meta) => meta.pss?.level === "restricted")) return "baseline";
  return "restricted";
}

// src/evaluate/evaluate.ts
function evaluateFile(file, yaml, options) {
  const { resources, problems } = extractResources(file, yaml, options.podTemplates);
  return {
    problems,
    objects: resources.map((resource) => evaluateResource(resource, yaml, options))
  };
}
function evaluateResource(resource, yaml, options) {
  const pod = podTemplateOf(resource, options.podTemplates);
  const fired = runRules(resource, pod, options);
  return {
    resource,
    findings: fired.map(({ meta, violation }) => toFinding(meta, violation, resource, yaml)),
    posture: pod ? postureOf(fired.map((f) => f.meta)) : null,
    suppressions: readSuppressions(resource, pod, options.compat ?? [], yaml)
  };
}
function runRules(resource, pod, options) {
  const { group, kind } = resource.identity;
  const fired = [];
  for (const rule of options.rules) {
    let violations;
    if (rule.kind === "pod") {
      if (!pod) continue;
      violations = rule.check(pod, resource);
    } else if (rule.kind === "object" && appliesTo(rule.appliesTo, group, kind)) {
      violations = rule.check(resource);
    } else continue;
    for (const violation of violations) fired.push({ meta: rule.meta, violation });
  }
  return fired;
}
function objectFingerprints(resource, options) {
  const fired = runRules(resource, podTemplateOf(resource, options.podTemplates), options);
  return counted(fired.map(({ meta, violation }) => violationFingerprint(resource.identity, meta.id, violation)));
}
function fingerprintCounts(findings) {
  return counted(findings.map((f) => f.fingerprint));
}
function counted(fingerprints) {
  const counts = /* @__PURE__ */ new Map();
  for (const fingerprint of fingerprints) counts.set(fingerprint, (counts.get(fingerprint) ?? 0) + 1);
  return counts;
}
function toFinding(meta, violation, resource, yaml) {
  const { line, endLine } = locate(yaml, resource.documentIndex, [...resource.documentPath, ...violation.path]);
  const path = displayPath(violation.path);
  const container = violation.container ?? null;
  const { identity } = resource;
  return {
    ruleId: meta.id,
    pssCheck: meta.pss?.check ?? null,
    severity: violation.severity ?? meta.severity,
    title: meta.title,
    message: formatMessage(meta.messages[violation.messageId] ?? violation.messageId, violation.data),
    resource: { apiVersion: resource.apiVersion, kind: identity.kind, namespace: identity.namespace, name: identity.name },
    identity,
    container,
    file: resource.file,
    line,
    endLine,
    path,
    fingerprint: violationFingerprint(identity, meta.id, violation),
    documentIndex: resource.documentIndex,
    documentPath: resource.documentPath,
    proposedFix: violation.fix ?? null
  };
}
function violationFingerprint(identity, ruleId, violation) {
  return fingerprintHash(`${identityKey(identity)}
${ruleId}
${violation.container ?? ""}
${displayPath(violation.path)}`);
}
function fingerprintHash(text) {
  let a = 2166136261;
  let b = 16777619 ^ 1540483477;
  let c = 2538058380;
  for (let i = 0; i < text.length; i++) {
    const code2 = text.charCodeAt(i);
    a = Math.imul(a ^ code2, 16777619);
    b = Math.imul(b ^ code2, 1540483477);
    c = Math.imul(c ^ code2, 668265261);
  }
  a = Math.imul(a ^ b >>> 15, 16777619);
  return [a, b, c].map((h) => (h >>> 0).toString(16).padStart(8, "0")).join("");
}

// src/evaluate/added-suppressions.ts
var SUPPRESSION_ADDED = {
  id: "suppression-added",
  title: "Suppression added",
  severity: "info",
  description: "A change that silences a finding deserves a reviewer as much as the finding itself: the reason given is the whole argument for the exception.",
  remediation: "Check that the reason holds; remove the annotation to bring the finding back.",
  messages: { added: 'This change silences {{rules}}{{scope}}: "{{reason}}".' }
};
function addedSuppressions(pairs, others = []) {
  const findings = [];
  for (const { base, head } of pairs) {
    if (!head) continue;
    const before = new Set(base?.suppressions.map((s) => `${s.key}\0${s.value}`) ?? []);
    for (const s of head.suppressions) {
      if (s.reason === null || before.has(`${s.key}\0${s.value}`)) continue;
      const silenced = [...head.findings, ...others].filter(
        (f) => f.suppressedBy && f.suppressedBy.source === s.source && f.suppressedBy.file === s.file && f.suppressedBy.line === s.line
      );
      if (silenced.length === 0) continue;
      const { resource } = head;
      const { identity } = resource;
      const violation = { messageId: "added", path: s.path };
      const rules = [...new Set(silenced.map((f) => f.ruleId))].join(", ");
      findings.push({
        status: "new",
        ruleId: SUPPRESSION_ADDED.id,
        pssCheck: null,
        severity: SUPPRESSION_ADDED.severity,
        title: SUPPRESSION_ADDED.title,
        message: formatMessage(SUPPRESSION_ADDED.messages.added, {
          rules,
          scope: s.container ? ` for container "${s.container}"` : "",
          reason: s.reason
        }),
        resource: { apiVersion: resource.apiVersion, kind: identity.kind, namespace: identity.namespace, name: identity.name },
        identity,
        container: s.container,
        file: s.file,
        line: s.line,
        endLine: s.line,
        path: displayPath(s.path),
        fingerprint: violationFingerprint(identity, SUPPRESSION_ADDED.id, violation),
        documentIndex: resource.documentIndex,
        documentPath: resource.documentPath,
        proposedFix: null
      });
    }
  }
  return findings;
}

// src/rules/pss/pod-security.ts
function containerSecurityContext(container) {
  return asObject(container.spec.securityContext);
}
function podSecurityContextPath(pod, ...rest) {
  return [...pod.specPath, "securityContext", ...rest];
}
function containerSecurityContextPath(container, ...rest) {
  return [...container.path, "securityContext", ...rest];
}
function isWindowsPod(pod) {
  return asString(getIn(pod.spec, ["os", "name"])) === "windows";
}
function usesUserNamespace(pod) {
  return pod.spec.hostUsers === false;
}
function isPresent(value) {
  return value !== void 0 && value !== null;
}
function podSetting(pod, ...keys) {
  return { value: getIn(pod.spec.securityContext, keys), path: podSecurityContextPath(pod, ...keys) };
}
function containerSetting(container, ...keys) {
  return {
    value: getIn(container.spec.securityContext, keys),
    path: containerSecurityContextPath(container, ...keys),
    container
  };
}
function settingsOf(pod, ...keys) {
  return [podSetting(pod, ...keys), ...pod.containers.map((container) => containerSetting(container, ...keys))];
}
function scopeOf(setting) {
  return setting.container ? "container" : "pod";
}
function settingViolation(setting, messageId, data = {}, ...deeper) {
  const path = [...setting.path, ...deeper];
  const container = setting.container?.name;
  return container === void 0 ? { messageId, data, path } : { messageId, data: { ...data, container }, path, container };
}
function itemRef(item, index, key) {
  const value = getIn(item, [key]);
  return typeof value === "string" || typeof value === "number" ? { index, key, value: String(value) } : index;
}
function valueRef(index, value) {
  return { index, key: null, value };
}
function stringItems(value) {
  return asArray(value).flatMap(
    (item, index) => typeof item === "string" ? [{ value: item, ref: valueRef(index, item) }] : []
  );
}
var BASELINE_CAPABILITIES = /* @__PURE__ */ new Set([
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT"
]);
var RESTRICTED_CAPABILITY = "NET_BIND_SERVICE";
function addedCapabilities(container) {
  return stringItems(getIn(container.spec.securityContext, ["capabilities", "add"])).map(({ value, ref }) => ({
    capability: value,
    path: containerSecurityContextPath(container, "capabilities", "add", ref)
  }));
}
var ALLOWED_PROFILE_TYPES = /* @__PURE__ */ new Set(["RuntimeDefault", "Localhost"]);
function isProfileSet(setting) {
  return asObject(setting.value) !== void 0;
}
function disallowedProfileTypes(pod, field) {
  return settingsOf(pod, field).flatMap((setting) => {
    if (!isProfileSet(setting)) return [];
    const type = asString(getIn(setting.value, ["type"])) ?? "";
    return ALLOWED_PROFILE_TYPES.has(type) ? [] : [{ setting, type }];
  });
}
function nonDefaultProcMounts(pod) {
  return pod.containers.flatMap((container) => {
    const setting = containerSetting(container, "procMount");
    const procMount2 = asString(setting.value);
    return procMount2 === void 0 || procMount2 === "Default" ? [] : [{ setting, procMount: procMount2 }];
  });
}
function procMountViolation({ setting, procMount: procMount2 }) {
  return { ...settingViolation(setting, "procMount", { procMount: procMount2 }), fix: removeFix("Remove procMount.", setting.path) };
}
var ALLOWED_VOLUME_SOURCES = /* @__PURE__ */ new Set([
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "image",
  "persistentVolumeClaim",
  "projected",
  "secret"
]);
function volumeSources(volume) {
  return Object.keys(volume.spec).filter((field) => field !== "name" && isPresent(volume.spec[field]));
}
function volumesOf(pod) {
  return asArray(pod.spec.volumes).flatMap((item, index) => {
    const spec2 = asObject(item);
    if (!spec2) return [];
    const name = asString(spec2.name) ?? `#${index + 1}`;
    return [{ name, spec: spec2, path: [...pod.specPath, "volumes", itemRef(item, index, "name")] }];
  });
}
function removeFix(description, ...paths) {
  return { safety: "review", description, edits: paths.map((path) => ({ op: "delete", path })) };
}
function setFix(safety, description, path, value) {
  return { safety, description, edits: [{ op: "set", path, value }] };
}
function runtimeDefaultProfileFix(setting, field, type) {
  const edits = [{ op: "set", path: [...setting.path, "type"], value: "RuntimeDefault" }];
  if (isPresent(getIn(setting.value, ["localhostProfile"]))) {
    edits.push({ op: "delete", path: [...setting.path, "localhostProfile"] });
  }
  return { safety: type === "Unconfined" ? "review" : "safe", description: `Set ${field}.type to RuntimeDefault.`, edits };
}
function dropAllFix(container) {
  const drop = containerSetting(container, "capabilities", "drop");
  const adds = asArray(getIn(container.spec.securityContext, ["capabilities", "add"])).length > 0;
  const edit = Array.isArray(drop.value) ? { op: "append", path: drop.path, value: "ALL" } : { op: "set", path: drop.path, value: ["ALL"] };
  return {
    safety: adds ? "review" : "safe",
    description: adds ? "Drop ALL capabilities, keeping only the ones the container adds." : "Drop ALL capabilities.",
    edits: [edit]
  };
}
function emptyDirFix(volume) {
  const sources = volumeSources(volume);
  const removed = sources.filter((source) => !ALLOWED_VOLUME_SOURCES.has(source));
  const kept = sources.length > removed.length;
  const edits = removed.map((source) => ({ op: "delete", path: [...volume.path, source] }));
  if (!kept) edits.push({ op: "set", path: [...volume.path, "emptyDir"], value: {} });
  const what = `the ${removed.join(" and ")} source of volume "${volume.name}"`;
  return {
    safety: "review",
    description: kept ? `Remove ${what}.` : `Replace ${what} with an emptyDir (empty when the pod starts, gone when it ends).`,
    edits
  };
}
function effectiveRunAsUser(pod, container) {
  const own = getIn(container.spec.securityContext, ["runAsUser"]);
  return isPresent(own) ? own : getIn(pod.spec.securityContext, ["runAsUser"]);
}
function hostProcessSettings(pod) {
  return settingsOf(pod, "windowsOptions", "hostProcess").filter((setting) => setting.value === true);
}

// src/rules/pss/allow-privilege-escalation.ts
function needsEscalation(container) {
  return containerSecurityContext(container)?.privileged === true || addedCapabilities(container).some(({ capability }) => capability === "CAP_SYS_ADMIN");
}
var allowPrivilegeEscalation = {
  kind: "pod",
  meta: {
    id: "pss-allow-privilege-escalation",
    title: "Privilege escalation allowed",
    severity: "medium",
    pss: { check: "allowPrivilegeEscalation", level: "restricted" },
    description: "Unless allowPrivilegeEscalation is false, a process can gain more privileges than its parent (setuid binaries, file capabilities).",
    remediation: "Set `securityContext.allowPrivilegeEscalation: false` on every container.",
    messages: {
      unset: 'Container "{{container}}" does not set allowPrivilegeEscalation: false.',
      allowed: 'Container "{{container}}" sets allowPrivilegeEscalation: true.'
    }
  },
  fieldsRead: [
    "pod.spec.os.name",
    "container.securityContext.allowPrivilegeEscalation",
    "container.securityContext.privileged",
    "container.securityContext.capabilities.add"
  ],
  check: (pod) => (
    // Windows pods are exempt since 1.25: the field does not apply to them
    isWindowsPod(pod) ? [] : pod.containers.flatMap((container) => {
      const setting = containerSetting(container, "allowPrivilegeEscalation");
      if (setting.value === false) return [];
      const allowed = setting.value === true;
      const fix2 = needsEscalation(container) ? void 0 : setFix(allowed ? "review" : "safe", "Set allowPrivilegeEscalation: false.", setting.path, false);
      return [{ ...settingViolation(setting, allowed ? "allowed" : "unset"), fix: fix2 }];
    })
  )
};

// src/rules/pss/apparmor-profile.ts
var ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";
function allowedAnnotationValue(value) {
  return value === "" || value === "runtime/default" || value.startsWith("localhost/");
}
var apparmorProfile = {
  kind: "pod",
  meta: {
    id: "pss-apparmor-profile",
    title: "AppArmor disabled",
    severity: "high",
    pss: { check: "appArmorProfile", level: "baseline" },
    description: "Running a container unconfined removes the AppArmor profile the runtime applies by default, one of the layers between a compromised container and the node.",
    remediation: "Remove the override, or set `appArmorProfile.type` to `RuntimeDefault` or `Localhost` (annotation: `runtime/default` or `localhost/<profile>`).",
    messages: {
      annotation: 'The AppArmor annotation for container "{{container}}" is set to {{profile}}.',
      pod: 'The pod sets appArmorProfile.type to "{{type}}".',
      container: 'Container "{{container}}" sets appArmorProfile.type to "{{type}}".'
    }
  },
  fieldsRead: [
    "pod.metadata.annotations",
    "pod.spec.securityContext.appArmorProfile",
    "container.securityContext.appArmorProfile"
  ],
  check: (pod) => [
    ...disallowedProfileTypes(pod, "appArmorProfile").map(({ setting, type }) => ({
      ...settingViolation(setting, scopeOf(setting), { type }, "type"),
      fix: runtimeDefaultProfileFix(setting, "appArmorProfile", type)
    })),
    // the beta annotations on the pod's own metadata (the template's, for workloads), any container name
    ...Object.entries(asObject(pod.metadata.annotations) ?? {}).flatMap(([key, value]) => {
      if (!key.startsWith(ANNOTATION_PREFIX) || typeof value !== "string" || allowedAnnotationValue(value)) return [];
      const container = key.slice(ANNOTATION_PREFIX.length);
      const path = [...pod.metadataPath, "annotations", key];
      const safety = value === "unconfined" ? "review" : "safe";
      const fix2 = setFix(safety, "Set the AppArmor annotation to runtime/default.", path, "runtime/default");
      return [{ messageId: "annotation", data: { container, profile: value }, path, container, fix: fix2 }];
    })
  ]
};

// src/rules/pss/capabilities-baseline.ts
var capabilitiesBaseline = {
  kind: "pod",
  meta: {
    id: "pss-capabilities-baseline",
    title: "Capability beyond the default set added",
    severity: "high",
    pss: { check: "capabilities_baseline", level: "baseline" },
    description: "Capabilities outside the default container set (SYS_ADMIN, NET_RAW, SYS_PTRACE, ...) give root-like powers over the kernel, the network or other processes.",
    remediation: "Remove the capability from `securityContext.capabilities.add`; baseline allows only AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID and SYS_CHROOT, spelled exactly so.",
    messages: { capability: 'Container "{{container}}" adds capability {{capability}}.' }
  },
  fieldsRead: ["container.securityContext.capabilities.add"],
  check: (pod) => pod.containers.flatMap(
    (container) => addedCapabilities(container).filter(({ capability }) => !BASELINE_CAPABILITIES.has(capability)).map(({ capability, path }) => ({
      messageId: "capability",
      data: { container: container.name, capability },
      path,
      container: container.name,
      fix: removeFix(`Remove capability ${capability}.`, path)
    }))
  )
};

// src/rules/pss/capabilities-restricted.ts
var capabilitiesRestricted = {
  kind: "pod",
  meta: {
    id: "pss-capabilities-restricted",
    title: "Capabilities not dropped",
    severity: "medium",
    pss: { check: "capabilities_restricted", level: "restricted" },
    description: "Restricted containers drop every capability and add back at most NET_BIND_SERVICE, so a compromised process has no kernel privileges to abuse.",
    remediation: "Set `securityContext.capabilities.drop: [ALL]` and add back nothing but `NET_BIND_SERVICE`.",
    messages: {
      dropAll: 'Container "{{container}}" does not drop ALL capabilities.',
      capability: 'Container "{{container}}" adds capability {{capability}}.'
    }
  },
  fieldsRead: ["pod.spec.os.name", "container.securityContext.capabilities"],
  check: (pod) => (
    // Windows pods are exempt since 1.25: Linux capabilities do not apply to them
    isWindowsPod(pod) ? [] : pod.containers.flatMap((container) => {
      const violations = [];
      const drop = containerSetting(container, "capabilities", "drop");
      if (!asArray(drop.value).includes("ALL")) {
        violations.push({ ...settingViolation(drop, "dropAll"), fix: dropAllFix(container) });
      }
      for (const { capability, path } of addedCapabilities(container)) {
        if (capability === RESTRICTED_CAPABILITY || !BASELINE_CAPABILITIES.has(capability)) continue;
        const data = { container: container.name, capability };
        const fix2 = removeFix(`Remove capability ${capability}.`, path);
        violations.push({ messageId: "capability", data, path, container: container.name, fix: fix2 });
      }
      return violations;
    })
  )
};

// src/rules/pss/host-namespaces.ts
var HOST_NAMESPACE_FIELDS = ["hostNetwork", "hostPID", "hostIPC"];
var hostNamespaces = {
  kind: "pod",
  meta: {
    id: "pss-host-namespaces",
    title: "Host namespaces shared",
    severity: "high",
    pss: { check: "hostNamespaces", level: "baseline" },
    description: "Sharing the node's network, process or IPC namespace lets a pod see and reach the host's traffic, processes and shared memory.",
    remediation: "Remove `hostNetwork`, `hostPID` and `hostIPC`, or set them to `false`.",
    messages: { hostNamespace: "The pod sets {{field}}: true." }
  },
  fieldsRead: [
    "pod.spec.hostNetwork",
    "pod.spec.hostPID",
    "pod.spec.hostIPC",
    "pod.spec.securityContext.windowsOptions.hostProcess",
    "container.securityContext.windowsOptions.hostProcess"
  ],
  check: (pod) => HOST_NAMESPACE_FIELDS.flatMap((field) => {
    if (pod.spec[field] !== true) return [];
    const path = [...pod.specPath, field];
    const blocked = field === "hostNetwork" && hostProcessSettings(pod).length > 0;
    const fix2 = blocked ? void 0 : removeFix(`Remove ${field}: true.`, path);
    return [{ messageId: "hostNamespace", data: { field }, path, fix: fix2 }];
  })
};

// src/rules/pss/host-path-volumes.ts
var hostPathVolumes = {
  kind: "pod",
  meta: {
    id: "pss-host-path-volumes",
    title: "hostPath volume",
    severity: "high",
    pss: { check: "hostPathVolumes", level: "baseline" },
    description: "A hostPath volume mounts a directory of the node into the pod: it can read the node's secrets and, writable, take the node over.",
    remediation: "Replace the `hostPath` volume with an emptyDir, a ConfigMap or Secret, or a PersistentVolumeClaim.",
    messages: { hostPath: 'Volume "{{volume}}" mounts a host path.' }
  },
  fieldsRead: ["pod.spec.volumes"],
  check: (pod) => volumesOf(pod).flatMap(
    (volume) => isPresent(volume.spec.hostPath) ? [
      {
        messageId: "hostPath",
        data: { volume: volume.name },
        path: [...volume.path, "hostPath"],
        fix: emptyDirFix(volume)
      }
    ] : []
  )
};

// src/rules/pss/host-ports.ts
var hostPorts = {
  kind: "pod",
  meta: {
    id: "pss-host-ports",
    title: "Host port",
    severity: "high",
    pss: { check: "hostPorts", level: "baseline" },
    description: "A host port binds the container to the node's own network interfaces, bypassing network policies and exposing it beyond the cluster network.",
    remediation: "Remove `hostPort` (or set it to 0) and expose the port through a Service instead.",
    messages: { hostPort: 'Container "{{container}}" binds host port {{hostPort}}.' }
  },
  fieldsRead: ["container.ports"],
  check: (pod) => pod.containers.flatMap(
    (container) => asArray(container.spec.ports).flatMap((item, index) => {
      const port = asObject(item);
      const hostPort = port?.hostPort;
      if (typeof hostPort !== "number" || hostPort === 0) return [];
      const ref = itemRef(item, index, typeof port?.name === "string" ? "name" : "containerPort");
      const path = [...container.path, "ports", ref, "hostPort"];
      const fix2 = removeFix(`Remove hostPort ${hostPort}.`, path);
      return [{ messageId: "hostPort", data: { container: container.name, hostPort }, path, container: container.name, fix: fix2 }];
    })
  )
};

// src/rules/pss/host-probes-and-lifecycle.ts
var HANDLERS = [
  ["livenessProbe"],
  ["readinessProbe"],
  ["startupProbe"],
  ["lifecycle", "postStart"],
  ["lifecycle", "preStop"]
];
var ACTIONS = ["httpGet", "tcpSocket"];
var HOST_FIELDS = HANDLERS.flatMap((handler) => ACTIONS.map((action) => [...handler, action, "host"]));
var hostProbesAndLifecycle = {
  kind: "pod",
  meta: {
    id: "pss-host-probes-and-lifecycle",
    title: "Probe or lifecycle hook to another host",
    severity: "high",
    pss: { check: "hostProbesAndHostLifecycle", level: "baseline" },
    description: "A probe or lifecycle hook with a `host` makes the kubelet connect to any address it names, from the node: a way to reach services the pod itself cannot.",
    remediation: "Remove `host` so the kubelet connects to the pod IP.",
    messages: { host: 'Container "{{container}}" points {{field}} at host {{host}}.' }
  },
  fieldsRead: ["container.livenessProbe", "container.readinessProbe", "container.startupProbe", "container.lifecycle"],
  check: (pod) => pod.containers.flatMap(
    (container) => HOST_FIELDS.flatMap((fields) => {
      const host = asString(getIn(container.spec, fields));
      if (!host) return [];
      const path = [...container.path, ...fields];
      const data = { container: container.name, field: fields.join("."), host };
      const fix2 = removeFix(`Remove ${fields.join(".")} so the kubelet connects to the pod IP.`, path);
      return [{ messageId: "host", data, path, container: container.name, fix: fix2 }];
    })
  )
};

// src/rules/pss/privileged.ts
var privileged = {
  kind: "pod",
  meta: {
    id: "pss-privileged",
    title: "Privileged container",
    severity: "critical",
    pss: { check: "privileged", level: "baseline" },
    description: "A privileged container has every capability and access to all host devices: escaping to the node takes one command.",
    remediation: "Remove `securityContext.privileged` or set it to `false`.",
    messages: { privileged: 'Container "{{container}}" runs privileged.' }
  },
  fieldsRead: ["container.securityContext.privileged"],
  check: (pod) => pod.containers.flatMap(
    (container) => containerSecurityContext(container)?.privileged === true ? [
      {
        messageId: "privileged",
        data: { container: container.name },
        path: containerSecurityContextPath(container, "privileged"),
        container: container.name,
        fix: removeFix("Remove privileged: true.", containerSecurityContextPath(container, "privileged"))
      }
    ] : []
  )
};

// src/rules/pss/proc-mount.ts
var procMount = {
  kind: "pod",
  meta: {
    id: "pss-proc-mount",
    title: "Unmasked /proc",
    severity: "high",
    pss: { check: "procMount", level: "baseline" },
    description: "A procMount other than Default unmasks parts of /proc that expose the node's kernel and other containers.",
    remediation: "Remove `securityContext.procMount` or set it to `Default`.",
    messages: { procMount: 'Container "{{container}}" sets procMount to {{procMount}}.' }
  },
  fieldsRead: ["pod.spec.hostUsers", "container.securityContext.procMount"],
  check: (pod) => (
    // since 1.35 baseline allows any procMount in a user namespace; pss-proc-mount-restricted reports those
    usesUserNamespace(pod) ? [] : nonDefaultProcMounts(pod).map(procMountViolation)
  )
};

// src/rules/pss/proc-mount-restricted.ts
var procMountRestricted = {
  kind: "pod",
  meta: {
    id: "pss-proc-mount-restricted",
    title: "Unmasked /proc in a user namespace",
    severity: "medium",
    pss: { check: "procMount_restricted", level: "restricted" },
    description: "Restricted keeps /proc masked even in a user namespace, where baseline allows unmasking it.",
    remediation: "Remove `securityContext.procMount` or set it to `Default`.",
    messages: { procMount: 'Container "{{container}}" sets procMount to {{procMount}}.' }
  },
  fieldsRead: ["pod.spec.hostUsers", "container.securityContext.procMount"],
  check: (pod) => (
    // Outside a user namespace pss-proc-mount (the baseline check this one replaces) reports the
    // same field; only `hostUsers: false`, where baseline relaxes, is left for restricted.
    usesUserNamespace(pod) ? nonDefaultProcMounts(pod).map(procMountViolation) : []
  )
};

// src/rules/pss/restricted-volumes.ts
var restrictedVolumes = {
  kind: "pod",
  meta: {
    id: "pss-restricted-volumes",
    title: "Volume type not allowed",
    severity: "medium",
    pss: { check: "restrictedVolumes", level: "restricted" },
    description: "Restricted pods mount only ephemeral, projected or PersistentVolumeClaim-backed volumes; inline network and node volumes bypass the storage the cluster admin controls.",
    remediation: "Use a PersistentVolumeClaim for storage, or a configMap, secret, projected, downwardAPI, emptyDir, ephemeral, csi or image volume.",
    messages: { source: 'Volume "{{volume}}" has source type {{source}}.' }
  },
  fieldsRead: ["pod.spec.volumes"],
  check: (pod) => volumesOf(pod).flatMap((volume) => {
    const fields = volumeSources(volume);
    if (fields.some((field) => ALLOWED_VOLUME_SOURCES.has(field))) return [];
    return fields.filter((field) => field !== "hostPath").map((source) => ({
      messageId: "source",
      data: { volume: volume.name, source },
      path: [...volume.path, source],
      fix: emptyDirFix(volume)
    }));
  })
};

// src/rules/pss/run-as-non-root.ts
function nonRootFix(setting, governed, pod) {
  if (governed.some((container) => effectiveRunAsUser(pod, container) === 0)) return void 0;
  return setFix("review", "Set runAsNonRoot: true.", setting.path, true);
}
var runAsNonRoot = {
  kind: "pod",
  meta: {
    id: "pss-run-as-non-root",
    title: "May run as root",
    severity: "medium",
    pss: { check: "runAsNonRoot", level: "restricted" },
    description: "Without runAsNonRoot: true the kubelet starts the container as whatever user its image names, root included.",
    remediation: "Set `securityContext.runAsNonRoot: true` on the pod (or on every container) and run the image as a non-zero UID.",
    messages: {
      pod: "The pod sets runAsNonRoot: false.",
      container: 'Container "{{container}}" sets runAsNonRoot: false.',
      unset: 'Container "{{container}}" does not set runAsNonRoot: true, nor does the pod.'
    }
  },
  fieldsRead: [
    "pod.spec.hostUsers",
    "pod.spec.securityContext.runAsNonRoot",
    "pod.spec.securityContext.runAsUser",
    "container.securityContext.runAsNonRoot",
    "container.securityContext.runAsUser"
  ],
  check: (pod) => {
    if (usesUserNamespace(pod)) return [];
    const podLevel = podSetting(pod, "runAsNonRoot");
    const violations = [];
    if (podLevel.value === false) {
      const inheriting = pod.containers.filter((c) => typeof containerSetting(c, "runAsNonRoot").value !== "boolean");
      violations.push({ ...settingViolation(podLevel, "pod"), fix: nonRootFix(podLevel, inheriting, pod) });
    }
    for (const container of pod.containers) {
      const setting = containerSetting(container, "runAsNonRoot");
      const fix2 = nonRootFix(setting, [container], pod);
      if (setting.value === false) violations.push({ ...settingViolation(setting, "container"), fix: fix2 });
      else if (typeof setting.value !== "boolean" && typeof podLevel.value !== "boolean") {
        violations.push({ ...settingViolation(setting, "unset"), fix: fix2 });
      }
    }
    return violations;
  }
};

// src/rules/pss/run-as-user.ts
var runAsUser = {
  kind: "pod",
  meta: {
    id: "pss-run-as-user",
    title: "Runs as root (UID 0)",
    severity: "medium",
    pss: { check: "runAsUser", level: "restricted" },
    description: "runAsUser: 0 runs the container as root, whatever runAsNonRoot says elsewhere.",
    remediation: "Set `runAsUser` to a non-zero UID, or remove it and let the image choose a non-root user.",
    messages: {
      pod: "The pod sets runAsUser: 0.",
      container: 'Container "{{container}}" sets runAsUser: 0.'
    }
  },
  fieldsRead: ["pod.spec.hostUsers", "pod.spec.securityContext.runAsUser", "container.securityContext.runAsUser"],
  check: (pod) => (
    // since 1.35 UID 0 is allowed in a user namespace, where it maps to an unprivileged UID on the node
    usesUserNamespace(pod) ? [] : settingsOf(pod, "runAsUser").filter((setting) => setting.value === 0).map((setting) => {
      const inheritsRoot = setting.container !== void 0 && podSetting(pod, "runAsUser").value === 0;
      const fix2 = inheritsRoot ? void 0 : removeFix("Remove runAsUser: 0.", setting.path);
      return { ...settingViolation(setting, scopeOf(setting)), fix: fix2 };
    })
  )
};

// src/rules/pss/seccomp-profile-baseline.ts
var seccompProfileBaseline = {
  kind: "pod",
  meta: {
    id: "pss-seccomp-profile-baseline",
    title: "Seccomp disabled",
    severity: "high",
    pss: { check: "seccompProfile_baseline", level: "baseline" },
    description: "An Unconfined seccomp profile lets the container make every system call, including the rarely used ones most kernel exploits go through.",
    remediation: "Set `seccompProfile.type` to `RuntimeDefault` (or `Localhost` with a profile on the node).",
    messages: {
      pod: 'The pod sets seccompProfile.type to "{{type}}".',
      container: 'Container "{{container}}" sets seccompProfile.type to "{{type}}".'
    }
  },
  fieldsRead: ["pod.spec.securityContext.seccompProfile", "container.securityContext.seccompProfile"],
  check: (pod) => disallowedProfileTypes(pod, "seccompProfile").map(({ setting, type }) => ({
    ...settingViolation(setting, scopeOf(setting), { type }, "type"),
    fix: runtimeDefaultProfileFix(setting, "seccompProfile", type)
  }))
};

// src/rules/pss/seccomp-profile-restricted.ts
var seccompProfileRestricted = {
  kind: "pod",
  meta: {
    id: "pss-seccomp-profile-restricted",
    title: "Seccomp profile not set",
    severity: "medium",
    pss: { check: "seccompProfile_restricted", level: "restricted" },
    description: "Without a seccomp profile a container may run with every system call available; restricted requires RuntimeDefault or a Localhost profile.",
    remediation: "Set `securityContext.seccompProfile.type: RuntimeDefault` on the pod (or on every container).",
    messages: { unset: 'Container "{{container}}" has no seccomp profile, and the pod sets none.' }
  },
  fieldsRead: [
    "pod.spec.os.name",
    "pod.spec.securityContext.seccompProfile",
    "container.securityContext.seccompProfile"
  ],
  check: (pod) => {
    if (isWindowsPod(pod)) return [];
    if (isProfileSet(podSetting(pod, "seccompProfile"))) return [];
    return pod.containers.map((container) => containerSetting(container, "seccompProfile")).filter((setting) => !isProfileSet(setting)).map((setting) => ({
      ...settingViolation(setting, "unset"),
      fix: setFix("safe", "Set seccompProfile.type to RuntimeDefault.", setting.path, { type: "RuntimeDefault" })
    }));
  }
};

// src/rules/pss/selinux-options.ts
var ALLOWED_TYPES = /* @__PURE__ */ new Set([
  "",
  "container_t",
  "container_init_t",
  "container_kvm_t",
  "container_engine_t"
]);
var selinuxOptions = {
  kind: "pod",
  meta: {
    id: "pss-selinux-options",
    title: "Custom SELinux options",
    severity: "high",
    pss: { check: "seLinuxOptions", level: "baseline" },
    description: "A custom SELinux user, role or type can lift the confinement the container runtime gives every container.",
    remediation: "Remove `seLinuxOptions.user` and `.role`, and leave `.type` unset or one of container_t, container_init_t, container_kvm_t, container_engine_t.",
    messages: {
      podType: 'The pod sets seLinuxOptions.type to "{{value}}".',
      containerType: 'Container "{{container}}" sets seLinuxOptions.type to "{{value}}".',
      podUser: "The pod sets seLinuxOptions.user.",
      containerUser: 'Container "{{container}}" sets seLinuxOptions.user.',
      podRole: "The pod sets seLinuxOptions.role.",
      containerRole: 'Container "{{container}}" sets seLinuxOptions.role.'
    }
  },
  fieldsRead: ["pod.spec.securityContext.seLinuxOptions", "container.securityContext.seLinuxOptions"],
  check: (pod) => settingsOf(pod, "seLinuxOptions").flatMap((setting) => {
    const options = asObject(setting.value);
    if (!options) return [];
    const scope = scopeOf(setting);
    const violations = [];
    const report = (messageId, field, data = {}) => {
      const violation = settingViolation(setting, messageId, data, field);
      violations.push({ ...violation, fix: removeFix(`Remove seLinuxOptions.${field}.`, violation.path) });
    };
    const type = asString(options.type) ?? "";
    if (!ALLOWED_TYPES.has(type)) report(`${scope}Type`, "type", { value: type });
    if (asString(options.user)) report(`${scope}User`, "user");
    if (asString(options.role)) report(`${scope}Role`, "role");
    return violations;
  })
};

// src/rules/pss/sysctls.ts
var ALLOWED_SYSCTLS = /* @__PURE__ */ new Set([
  // 1.0
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_unprivileged_port_start",
  // 1.27
  "net.ipv4.ip_local_reserved_ports",
  // 1.29
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
  // 1.32
  "net.ipv4.tcp_rmem",
  "net.ipv4.tcp_wmem",
  // 1.37
  "net.ipv4.tcp_slow_start_after_idle",
  "net.ipv4.tcp_notsent_lowat"
]);
var sysctls = {
  kind: "pod",
  meta: {
    id: "pss-sysctls",
    title: "Unsafe sysctl",
    severity: "high",
    pss: { check: "sysctls", level: "baseline" },
    description: "Sysctls outside the safe, namespaced set can change kernel settings shared with every other pod on the node.",
    remediation: "Remove the sysctl from `securityContext.sysctls`, or set it on the node instead.",
    messages: { sysctl: 'The pod sets sysctl "{{sysctl}}".' }
  },
  fieldsRead: ["pod.spec.securityContext.sysctls"],
  check: (pod) => {
    const setting = podSetting(pod, "sysctls");
    return asArray(setting.value).flatMap((item, index) => {
      const name = asString(getIn(item, ["name"])) ?? "";
      if (ALLOWED_SYSCTLS.has(name)) return [];
      const violation = settingViolation(setting, "sysctl", { sysctl: name }, itemRef(item, index, "name"));
      return [{ ...violation, fix: removeFix(`Remove sysctl ${name}.`, violation.path) }];
    });
  }
};

// src/rules/pss/windows-host-process.ts
var windowsHostProcess = {
  kind: "pod",
  meta: {
    id: "pss-windows-host-process",
    title: "Windows HostProcess container",
    severity: "high",
    pss: { check: "windowsHostProcess", level: "baseline" },
    description: "A Windows HostProcess container runs directly on the node with its network and file system: it is privileged access to the Windows host.",
    remediation: "Remove `windowsOptions.hostProcess` or set it to `false`.",
    messages: {
      pod: "The pod sets windowsOptions.hostProcess: true.",
      container: 'Container "{{container}}" sets windowsOptions.hostProcess: true.'
    }
  },
  fieldsRead: [
    "pod.spec.securityContext.windowsOptions.hostProcess",
    "container.securityContext.windowsOptions.hostProcess"
  ],
  check: (pod) => {
    const settings = hostProcessSettings(pod);
    const description = settings.length > 1 ? "Remove windowsOptions.hostProcess from the pod and its containers." : "Remove windowsOptions.hostProcess.";
    const fix2 = removeFix(description, ...settings.map((setting) => setting.path));
    return settings.map((setting) => ({ ...settingViolation(setting, scopeOf(setting)), fix: fix2 }));
  }
};

// src/rules/admission/admission-policy-weakened.ts
var GATEKEEPER_CONSTRAINTS = "constraints.gatekeeper.sh";
var KYVERNO = "kyverno.io";
var ADMISSION = "admissionregistration.k8s.io";
var ADMISSION_POINTS = /* @__PURE__ */ new Set(["validation.gatekeeper.sh", "vap.k8s.io", "*"]);
function spec(resource) {
  return asObject(resource.object.spec) ?? {};
}
function restore(description, edits) {
  return { safety: "review", description, edits };
}
function restoreField(path, baseValue, what) {
  return baseValue === void 0 ? restore(`Remove ${what} to restore the default.`, [{ op: "delete", path }]) : restore(`Set ${what} back to ${JSON.stringify(baseValue)}.`, [{ op: "set", path, value: baseValue }]);
}
function gatekeeperDenies(resource) {
  const action = (asString(spec(resource).enforcementAction) ?? "deny").toLowerCase();
  if (action === "deny") return true;
  if (action !== "scoped") return false;
  return asArray(spec(resource).scopedEnforcementActions).some((item) => {
    const entry2 = asObject(item);
    if (asString(entry2?.action)?.toLowerCase() !== "deny") return false;
    const points = asArray(entry2?.enforcementPoints).flatMap((p) => asString(asObject(p)?.name) ?? []);
    return points.length === 0 || points.some((name) => ADMISSION_POINTS.has(name.toLowerCase()));
  });
}
function gatekeeperChange(base, head) {
  if (!gatekeeperDenies(base) || gatekeeperDenies(head)) return [];
  const baseAction = asString(spec(base).enforcementAction);
  const headAction = asString(spec(head).enforcementAction);
  const sameAction = (baseAction ?? "deny").toLowerCase() === (headAction ?? "deny").toLowerCase();
  const field = sameAction ? "scopedEnforcementActions" : "enforcementAction";
  const edits = [];
  for (const key of ["enforcementAction", "scopedEnforcementActions"]) {
    const before = spec(base)[key];
    const after = spec(head)[key];
    if (JSON.stringify(before) === JSON.stringify(after)) continue;
    edits.push(before === void 0 ? { op: "delete", path: ["spec", key] } : { op: "set", path: ["spec", key], value: before });
  }
  return [
    {
      on: "head",
      messageId: "gatekeeper",
      data: { from: baseAction ?? "deny (default)", to: headAction ?? "deny (default)" },
      path: ["spec", field],
      fix: restore("Restore the constraint's enforcement action.", edits)
    }
  ];
}
function kyvernoAction(value) {
  const text = asString(value)?.toLowerCase();
  return text === "enforce" ? "Enforce" : text === "audit" ? "Audit" : void 0;
}
function kyvernoRules(resource) {
  const policyAction = kyvernoAction(spec(resource).validationFailureAction) ?? "Audit";
  const rules = /* @__PURE__ */ new Map();
  asArray(spec(resource).rules).forEach((item, index) => {
    const rule = asObject(item);
    const name = asString(rule?.name);
    const validate = asObject(rule?.validate);
    if (!name || !validate || rules.has(name)) return;
    const own = kyvernoAction(validate.failureAction);
    rules.set(name, { segment: { index, key: "name", value: name }, own, effective: own ?? policyAction });
  });
  return rules;
}
function kyvernoAuditOnly(resource) {
  const items = asArray(spec(resource).rules);
  const validating = kyvernoRules(resource);
  const others = items.filter((item) => !asObject(asObject(item)?.validate));
  return others.length === 0 && [...validating.values()].every((r) => r.effective === "Audit");
}
function kyvernoChange(base, head) {
  const before = kyvernoRules(base);
  const violations = [];
  const viaPolicy = [];
  for (const [name, rule] of kyvernoRules(head)) {
    const baseRule = before.get(name);
    if (baseRule?.effective !== "Enforce" || rule.effective !== "Audit") continue;
    if (rule.own === void 0 && baseRule.own === void 0) {
      viaPolicy.push(name);
      continue;
    }
    const path = ["spec", "rules", rule.segment, "validate", "failureAction"];
    violations.push({
      on: "head",
      messageId: "kyvernoRule",
      data: { rule: name, from: baseRule.own ?? "unset (policy: Enforce)", to: rule.own ?? "unset (policy: Audit)" },
      path,
      fix: restore(`Set the rule's failureAction back to Enforce.`, [{ op: "set", path, value: "Enforce" }])
    });
  }
  if (viaPolicy.length > 0) {
    const baseValue = asString(spec(base).validationFailureAction);
    const headValue = asString(spec(head).validationFailureAction);
    const path = ["spec", "validationFailureAction"];
    violations.unshift({
      on: "head",
      messageId: "kyvernoPolicy",
      data: { from: baseValue ?? "unset", to: headValue ?? "unset (Audit)", rules: viaPolicy.map((n) => `"${n}"`).join(", ") },
      path,
      fix: restoreField(path, baseValue, "validationFailureAction")
    });
  }
  return violations;
}
function bindingDenies(resource) {
  return asArray(spec(resource).validationActions).includes("Deny");
}
function bindingChange(base, head) {
  if (!bindingDenies(base) || bindingDenies(head)) return [];
  const path = ["spec", "validationActions"];
  const baseActions = spec(base).validationActions;
  return [
    {
      on: "head",
      messageId: "binding",
      data: { to: JSON.stringify(spec(head).validationActions ?? []) },
      path,
      fix: restore(`Set validationActions back to ${JSON.stringify(baseActions)}.`, [{ op: "set", path, value: baseActions }])
    }
  ];
}
function failurePolicyOf(webhook, apiVersion) {
  return asString(webhook.failurePolicy) ?? (apiVersion.endsWith("/v1beta1") ? "Ignore" : "Fail");
}
function webhooksOf(resource) {
  const webhooks = /* @__PURE__ */ new Map();
  asArray(resource.object.webhooks).forEach((item, index) => {
    const webhook = asObject(item);
    const name = asString(webhook?.name);
    if (!webhook || !name || webhooks.has(name)) return;
    webhooks.set(name, { segment: { index, key: "name", value: name }, failurePolicy: failurePolicyOf(webhook, resource.apiVersion) });
  });
  return webhooks;
}
function webhookChange(base, head) {
  const before = webhooksOf(base);
  return [...webhooksOf(head)].flatMap(([name, webhook]) => {
    if (before.get(name)?.failurePolicy !== "Fail" || webhook.failurePolicy !== "Ignore") return [];
    const path = ["webhooks", webhook.segment, "failurePolicy"];
    return [
      {
        on: "head",
        messageId: "webhook",
        data: { webhook: name },
        path,
        fix: restore("Set failurePolicy back to Fail.", [{ op: "set", path, value: "Fail" }])
      }
    ];
  });
}
function enforcedAt(resource) {
  const { group, kind } = resource.identity;
  if (group === GATEKEEPER_CONSTRAINTS) return gatekeeperDenies(resource);
  if (group === KYVERNO) return !kyvernoAuditOnly(resource);
  if (group === ADMISSION && kind === "ValidatingAdmissionPolicyBinding") return bindingDenies(resource);
  return true;
}
function deletion(base) {
  const { kind } = base.identity;
  const name = displayName(base.identity);
  if (kind === "ConstraintTemplate") {
    const constraintKind = asString(getIn(base.object, ["spec", "crd", "spec", "names", "kind"])) ?? name;
    return [{ on: "base", messageId: "templateDeleted", data: { name, constraintKind }, path: [] }];
  }
  const enforced = enforcedAt(base);
  return [
    {
      on: "base",
      messageId: enforced ? "deleted" : "deletedAuditOnly",
      data: { kind, name },
      path: [],
      ...enforced ? {} : { severity: "low" }
    }
  ];
}
var admissionPolicyWeakened = {
  kind: "transition",
  appliesTo: [
    `${GATEKEEPER_CONSTRAINTS}/*`,
    "templates.gatekeeper.sh/ConstraintTemplate",
    `${KYVERNO}/Policy`,
    `${KYVERNO}/ClusterPolicy`,
    `${ADMISSION}/ValidatingAdmissionPolicy`,
    `${ADMISSION}/ValidatingAdmissionPolicyBinding`,
    `${ADMISSION}/ValidatingWebhookConfiguration`,
    `${ADMISSION}/MutatingWebhookConfiguration`
  ],
  meta: {
    id: "admission-policy-weakened",
    title: "Admission policy weakened",
    severity: "high",
    description: "Admission policies are the cluster's last check before an object is stored. Switching one to audit or dry-run, letting its webhook fail open, or deleting it removes that check while the policy still looks present in the repository.",
    remediation: "Keep the policy enforcing; exempt the specific namespace or object that needs an exception instead.",
    messages: {
      gatekeeper: "The constraint no longer denies: enforcementAction goes from {{from}} to {{to}}.",
      kyvernoPolicy: "validationFailureAction goes from {{from}} to {{to}}, so the rules {{rules}} audit instead of blocking.",
      kyvernoRule: 'Rule "{{rule}}" no longer blocks: validate.failureAction goes from {{from}} to {{to}}.',
      binding: "The binding drops Deny from validationActions (now {{to}}): violations are no longer rejected.",
      webhook: 'Webhook "{{webhook}}" goes from failurePolicy Fail to Ignore: requests are admitted whenever it is down or times out.',
      deleted: 'The {{kind}} "{{name}}" is deleted, and what it enforced with it.',
      deletedAuditOnly: 'The {{kind}} "{{name}}" is deleted; it only audited or warned, so its reports stop.',
      templateDeleted: 'The ConstraintTemplate "{{name}}" is deleted, which removes the constraint kind {{constraintKind}} and every constraint of it.'
    }
  },
  check: ({ base, head }) => {
    if (!base) return [];
    if (!head) return deletion(base);
    const { group, kind } = head.identity;
    if (group !== base.identity.group || kind !== base.identity.kind) return [];
    if (group === GATEKEEPER_CONSTRAINTS) return gatekeeperChange(base, head);
    if (group === KYVERNO) return kyvernoChange(base, head);
    if (kind === "ValidatingAdmissionPolicyBinding") return bindingChange(base, head);
    if (kind === "ValidatingWebhookConfiguration" || kind === "MutatingWebhookConfiguration") return webhookChange(base, head);
    return [];
  }
};

// src/rules/admission/namespace-pss-weakened.ts
var PREFIX = "pod-security.kubernetes.io/";
var MODES = [
  { mode: "enforce" },
  { mode: "audit", severity: "low" },
  { mode: "warn", severity: "low" }
];
function labelOf(resource, key) {
  return asString(asObject(getIn(resource.object, ["metadata", "labels"]))?.[key]);
}
function levelOf(value) {
  if (value === void 0) return "privileged";
  return PSS_LEVELS.includes(value) ? value : "restricted";
}
function versionRank(value) {
  const match = value === void 0 ? null : /^v1\.(0|[1-9][0-9]*)$/.exec(value);
  return match ? Number(match[1]) : Number.POSITIVE_INFINITY;
}
function shown(value, effective) {
  if (value === void 0) return `absent (${effective})`;
  return value === effective ? `"${value}"` : `"${value}" (${effective})`;
}
function restore2(path, baseValue) {
  return baseValue === void 0 ? { safety: "review", description: `Remove the label ${path[path.length - 1]} again.`, edits: [{ op: "delete", path }] } : {
    safety: "review",
    description: `Set ${path[path.length - 1]} back to "${baseValue}".`,
    edits: [{ op: "set", path, value: baseValue }]
  };
}
var namespacePssWeakened = {
  kind: "transition",
  appliesTo: ["/Namespace"],
  meta: {
    id: "namespace-pss-weakened",
    title: "Namespace Pod Security level weakened",
    severity: "high",
    description: "The `pod-security.kubernetes.io/*` labels decide which pods the namespace admits. Lowering or removing `enforce` (or pinning an older policy version) lets in pods the namespace used to reject, such as privileged ones.",
    remediation: "Keep the namespace at its level; exempt the one workload that needs more, or move it to a namespace of its own.",
    messages: {
      lowered: "The namespace lowers Pod Security {{mode}} from {{from}} to {{to}}.",
      removed: "The namespace removes the Pod Security {{mode}} label (was {{from}}); the cluster default applies, privileged unless configured.",
      versionOlder: "The namespace pins Pod Security {{mode}}-version to {{to}}, older than {{from}}."
    }
  },
  check: ({ base, head }) => {
    if (!base || !head) return [];
    const violations = [];
    for (const { mode, severity } of MODES) {
      const key = `${PREFIX}${mode}`;
      const path = ["metadata", "labels", key];
      const baseValue = labelOf(base, key);
      const headValue = labelOf(head, key);
      const baseLevel = levelOf(baseValue);
      const headLevel = levelOf(headValue);
      const extra = severity ? { severity } : {};
      if (PSS_LEVELS.indexOf(headLevel) < PSS_LEVELS.indexOf(baseLevel)) {
        violations.push({
          on: "head",
          messageId: headValue === void 0 ? "removed" : "lowered",
          data: { mode, from: shown(baseValue, baseLevel), to: shown(headValue, headLevel) },
          path,
          fix: restore2(path, baseValue),
          ...extra
        });
      }
      if (headLevel === "privileged" || headLevel !== baseLevel) continue;
      const versionKey = `${key}-version`;
      const versionPath = ["metadata", "labels", versionKey];
      const baseVersion = labelOf(base, versionKey);
      const headVersion = labelOf(head, versionKey);
      if (versionRank(headVersion) < versionRank(baseVersion)) {
        violations.push({
          on: "head",
          messageId: "versionOlder",
          data: {
            mode,
            from: shown(baseVersion, versionRank(baseVersion) === Infinity ? "latest" : baseVersion),
            to: shown(headVersion, headVersion)
          },
          path: versionPath,
          fix: restore2(versionPath, baseVersion),
          ...extra
        });
      }
    }
    return violations;
  }
};

// src/rules/admission/seccomp-annotation-deprecated.ts
var POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod";
var CONTAINER_PREFIX = "container.seccomp.security.alpha.kubernetes.io/";
function profileFor(value) {
  if (value === "runtime/default" || value === "docker/default") return { type: "RuntimeDefault" };
  if (value === "unconfined") return { type: "Unconfined" };
  if (value.startsWith("localhost/") && value.length > "localhost/".length) {
    return { type: "Localhost", localhostProfile: value.slice("localhost/".length) };
  }
  return void 0;
}
function hasProfile(securityContext) {
  const profile = asObject(securityContext)?.seccompProfile;
  return profile !== void 0 && profile !== null;
}
function fixFor(annotationPath, value, target) {
  const remove = { op: "delete", path: annotationPath };
  const profile = target === null ? void 0 : profileFor(value);
  if (target === null || !profile) {
    return { safety: "safe", description: "Remove the annotation, which no longer has any effect.", edits: [remove] };
  }
  return {
    safety: profile.type === "Unconfined" ? "review" : "safe",
    description: `Move the profile into securityContext.seccompProfile (type ${String(profile.type)}).`,
    edits: [remove, { op: "set", path: [...target, "seccompProfile"], value: profile }]
  };
}
var seccompAnnotationDeprecated = {
  kind: "pod",
  meta: {
    id: "seccomp-annotation-deprecated",
    title: "Deprecated seccomp annotation",
    severity: "info",
    description: "The `seccomp.security.alpha.kubernetes.io` annotations have had no effect since Kubernetes v1.27 (kubelets stopped reading them in v1.25): the profile they ask for silently does not apply.",
    remediation: "Set `securityContext.seccompProfile` (pod or container level) and remove the annotation.",
    messages: {
      pod: 'The pod annotation "{{annotation}}" is deprecated and ignored by current Kubernetes; set spec.securityContext.seccompProfile instead.',
      container: 'The annotation "{{annotation}}" for container "{{container}}" is deprecated and ignored by current Kubernetes; set its securityContext.seccompProfile instead.'
    }
  },
  fieldsRead: [
    "pod.metadata.annotations",
    "pod.spec.securityContext.seccompProfile",
    "container.securityContext.seccompProfile"
  ],
  check: (pod) => {
    const annotations = asObject(pod.metadata.annotations);
    if (!annotations) return [];
    const podLevelSet = hasProfile(pod.spec.securityContext);
    const violations = [];
    for (const [annotation, raw] of Object.entries(annotations)) {
      const value = asString(raw) ?? "";
      const path = [...pod.metadataPath, "annotations", annotation];
      if (annotation === POD_ANNOTATION) {
        const target = podLevelSet ? null : [...pod.specPath, "securityContext"];
        violations.push({ messageId: "pod", data: { annotation }, path, fix: fixFor(path, value, target) });
      } else if (annotation.startsWith(CONTAINER_PREFIX)) {
        const name = annotation.slice(CONTAINER_PREFIX.length);
        const container = pod.containers.find((c) => c.name === name);
        const settled = !container || podLevelSet || hasProfile(container.spec.securityContext);
        const target = settled ? null : [...container.path, "securityContext"];
        violations.push({
          messageId: "container",
          data: { annotation, container: name },
          path,
          ...container ? { container: name } : {},
          fix: fixFor(path, value, target)
        });
      }
    }
    return violations;
  }
};

// src/rules/admission/index.ts
var ADMISSION_RULES = [namespacePssWeakened, admissionPolicyWeakened, seccompAnnotationDeprecated];

// src/rules/network/shared.ts
var INGRESS_KINDS = ["networking.k8s.io/Ingress", "extensions/Ingress"];
function restoreEdit(path, baseValue) {
  return baseValue === void 0 ? { op: "delete", path } : { op: "set", path, value: baseValue };
}
function restoreFix(description, path, baseValue) {
  return { safety: "review", description, edits: [restoreEdit(path, baseValue)] };
}
function annotationOf(metadata, key) {
  return asString(asObject(asObject(metadata)?.annotations)?.[key]);
}
function scalarText(value) {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return void 0;
}
function listNames(names, max = 3) {
  const shown2 = names.slice(0, max).map((n) => `"${n}"`);
  return names.length > max ? `${shown2.join(", ")} and ${names.length - max} more` : shown2.join(", ");
}
function uniqueRef(list2, index, valueOf2, key) {
  const value = valueOf2(list2[index]);
  if (value === void 0) return index;
  const clashes = list2.filter((item) => valueOf2(item) === value).length;
  return clashes === 1 ? { index, key, value } : index;
}
function labelsOf(metadata) {
  const labels = /* @__PURE__ */ new Map();
  for (const [key, value] of Object.entries(asObject(metadata?.labels) ?? {})) {
    const text = scalarText(value);
    if (text !== void 0) labels.set(key, text);
  }
  return labels;
}
function selectorMatches(selector, labels) {
  const object = asObject(selector) ?? {};
  for (const [key, value] of Object.entries(asObject(object.matchLabels) ?? {})) {
    const text = scalarText(value);
    if (text === void 0 || labels.get(key) !== text) return false;
  }
  for (const item of asArray(object.matchExpressions)) {
    const expression = asObject(item);
    if (!expression) continue;
    const key = asString(expression.key);
    const values = asArray(expression.values).map(scalarText).filter((v) => v !== void 0);
    if (key === void 0) return false;
    const label = labels.get(key);
    switch (expression.operator) {
      case "In":
        if (values.length === 0 || label === void 0 || !values.includes(label)) return false;
        break;
      case "NotIn":
        if (values.length === 0 || label !== void 0 && values.includes(label)) return false;
        break;
      case "Exists":
        if (label === void 0) return false;
        break;
      case "DoesNotExist":
        if (label !== void 0) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
function isEmptySelector(selector) {
  const object = asObject(selector) ?? {};
  const labels = Object.keys(asObject(object.matchLabels) ?? {});
  return labels.length === 0 && !asArray(object.matchExpressions).some((e) => asObject(e));
}
function describeSelector(selector) {
  const object = asObject(selector) ?? {};
  const parts = [];
  for (const [key, value] of Object.entries(asObject(object.matchLabels) ?? {})) parts.push(`${key}=${scalarText(value) ?? "?"}`);
  for (const item of asArray(object.matchExpressions)) {
    const expression = asObject(item);
    const key = asString(expression?.key) ?? "?";
    const values = asArray(expression?.values).map((v) => scalarText(v) ?? "?").join(",");
    switch (expression?.operator) {
      case "In":
        parts.push(`${key} in (${values})`);
        break;
      case "NotIn":
        parts.push(`${key} notin (${values})`);
        break;
      case "Exists":
        parts.push(key);
        break;
      case "DoesNotExist":
        parts.push(`!${key}`);
        break;
      default:
        parts.push(`${key} ${String(expression?.operator)} (${values})`);
    }
  }
  return parts.join(",");
}

// src/rules/network/ingress-nginx-snippet.ts
var SNIPPET_ANNOTATIONS = [
  "nginx.ingress.kubernetes.io/configuration-snippet",
  "nginx.ingress.kubernetes.io/server-snippet",
  "nginx.ingress.kubernetes.io/auth-snippet"
];
var ingressNginxSnippet = {
  kind: "object",
  meta: {
    id: "ingress-nginx-snippet",
    title: "ingress-nginx snippet annotation",
    severity: "high",
    description: "ingress-nginx snippet annotations insert raw NGINX configuration into the controller, which can read every Secret in the cluster (CVE-2021-25742): whoever can write an Ingress can take over the controller.",
    remediation: "Remove the snippet annotation and use the dedicated ingress-nginx annotations, or move the configuration into the controller ConfigMap that only cluster operators can change.",
    messages: {
      snippet: 'Ingress "{{ingress}}" sets {{annotation}}, which injects raw NGINX configuration (CVE-2021-25742).'
    }
  },
  appliesTo: INGRESS_KINDS,
  fieldsRead: ["object.metadata.annotations"],
  check: (resource) => {
    const annotations = asObject(asObject(resource.object.metadata)?.annotations) ?? {};
    return SNIPPET_ANNOTATIONS.flatMap((annotation) => {
      const value = annotations[annotation];
      if (typeof value !== "string" || value.trim() === "") return [];
      const path = ["metadata", "annotations", annotation];
      return [
        {
          messageId: "snippet",
          data: { ingress: displayName(resource.identity), annotation },
          path,
          fix: { safety: "review", description: `Remove the ${annotation} annotation.`, edits: [{ op: "delete", path }] }
        }
      ];
    });
  }
};

// src/rules/network/ingress-tls-removed.ts
var ingressTlsRemoved = {
  kind: "transition",
  meta: {
    id: "ingress-tls-removed",
    title: "Ingress stops terminating TLS for a host",
    severity: "medium",
    description: "A host the Ingress serves at both revisions was listed under `tls` at base and is not at head: its traffic, credentials and cookies included, now travels in clear text.",
    remediation: "Keep the host in a `spec.tls[].hosts` list with a certificate Secret that covers it.",
    messages: {
      tlsRemoved: 'Ingress "{{ingress}}" no longer terminates TLS for host {{host}}.'
    }
  },
  appliesTo: INGRESS_KINDS,
  check: (change) => {
    const { base, head } = change;
    if (!base || !head) return [];
    const baseSpec = asObject(base.object.spec) ?? {};
    const headSpec = asObject(head.object.spec) ?? {};
    const baseHosts = new Set(ruleHosts(baseSpec).map((r) => r.host));
    const baseTls = tlsHosts(baseSpec);
    const headTls = tlsHosts(headSpec);
    const rules = asArray(headSpec.rules);
    const host = (item) => asString(asObject(item)?.host);
    return ruleHosts(headSpec).filter((r) => baseHosts.has(r.host) && covers(baseTls, r.host) && !covers(headTls, r.host)).map((r) => ({
      on: "head",
      messageId: "tlsRemoved",
      data: { ingress: displayName(head.identity), host: r.host },
      path: ["spec", "rules", uniqueRef(rules, r.index, host, "host"), "host"],
      fix: restoreFix("Restore the TLS section of the base.", ["spec", "tls"], baseSpec.tls)
    }));
  }
};
function ruleHosts(spec2) {
  const seen = /* @__PURE__ */ new Set();
  return asArray(spec2.rules).flatMap((item, index) => {
    const host = asString(asObject(item)?.host);
    if (!host || seen.has(host)) return [];
    seen.add(host);
    return [{ host, index }];
  });
}
function tlsHosts(spec2) {
  return asArray(spec2.tls).flatMap((item) => {
    const entry2 = asObject(item);
    if (!entry2) return [];
    const hosts = asArray(entry2.hosts).filter((h) => typeof h === "string" && h !== "");
    return hosts.length > 0 ? hosts : ["*"];
  });
}
function covers(tls, host) {
  return tls.some((name) => {
    if (name === "*" || name === host) return true;
    if (!name.startsWith("*.")) return false;
    const dot = host.indexOf(".");
    return dot > 0 && host.slice(dot) === name.slice(1);
  });
}

// src/rules/network/mtls-weakened.ts
var PEER_AUTHENTICATION = "security.istio.io/PeerAuthentication";
var DESTINATION_RULE = "networking.istio.io/DestinationRule";
var INBOUND_POLICY = "config.linkerd.io/default-inbound-policy";
var INJECT = "linkerd.io/inject";
var mtlsWeakened = {
  kind: "transition",
  meta: {
    id: "mtls-weakened",
    title: "Service-mesh mTLS weakened",
    severity: "high",
    description: "Mesh traffic loses its mutual TLS guarantee: an Istio PeerAuthentication leaves STRICT (or a STRICT one is removed), a DestinationRule leaves ISTIO_MUTUAL, a Linkerd default inbound policy loosens, or a meshed workload is taken out of the Linkerd mesh. Plain-text, unauthenticated traffic is accepted again.",
    remediation: "Keep `mtls.mode: STRICT` (narrow exceptions with `portLevelMtls` for the ports that need them), `tls.mode: ISTIO_MUTUAL`, the stricter Linkerd inbound policy and `linkerd.io/inject: enabled`.",
    messages: {
      peerAuthWeakened: 'PeerAuthentication "{{name}}" mTLS mode goes from {{from}} to {{to}}.',
      peerAuthPortWeakened: 'PeerAuthentication "{{name}}" mTLS mode for port {{port}} goes from {{from}} to {{to}}.',
      peerAuthRemoved: 'PeerAuthentication "{{name}}" with STRICT mTLS was removed.',
      destinationRuleWeakened: 'DestinationRule "{{name}}" no longer uses ISTIO_MUTUAL for {{where}}: TLS mode is now {{to}}.',
      destinationRuleRemoved: 'DestinationRule "{{name}}" that required ISTIO_MUTUAL was removed.',
      inboundPolicyLoosened: '{{kind}} "{{name}}" default inbound policy loosens from {{from}} to {{to}}.',
      inboundPolicyRemoved: '{{kind}} "{{name}}" drops default inbound policy {{from}} and falls back to the inherited default.',
      unmeshed: '{{kind}} "{{name}}" is taken out of the Linkerd mesh: linkerd.io/inject goes from {{from}} to disabled.'
    }
  },
  // PeerAuthentication and DestinationRule in every apiVersion, Namespaces, and every kind with a pod template
  appliesTo: ["*"],
  reads: [PEER_AUTHENTICATION, DESTINATION_RULE],
  check: (change, context) => {
    const shown2 = change.head ?? change.base;
    if (!shown2) return [];
    const kind = `${shown2.identity.group}/${shown2.identity.kind}`;
    if (kind === PEER_AUTHENTICATION) return peerAuthentication(change, context);
    if (kind === DESTINATION_RULE) return destinationRule(change, context);
    return linkerd(change, context);
  }
};
function peerAuthLoosened(from, to) {
  if (from === "STRICT") return to !== "STRICT";
  return from === "PERMISSIVE" && to === "DISABLE";
}
function showMode(mode) {
  return mode === void 0 || mode === "UNSET" ? "UNSET (inherited)" : mode;
}
function explicitMode(value) {
  const mode = asString(value);
  return mode === "UNSET" ? void 0 : mode;
}
function peerAuthModes(resource) {
  const spec2 = asObject(resource.object.spec) ?? {};
  const ports = /* @__PURE__ */ new Map();
  for (const [port, setting] of Object.entries(asObject(spec2.portLevelMtls) ?? {})) {
    ports.set(port, explicitMode(asObject(setting)?.mode));
  }
  return { top: explicitMode(getIn(spec2, ["mtls", "mode"])), ports };
}
function peerAuthentication(change, context) {
  const { base, head } = change;
  if (!base) return [];
  const before = peerAuthModes(base);
  if (!head) {
    const strictPort = [...before.ports].find(([, mode]) => mode === "STRICT")?.[0];
    if (before.top !== "STRICT" && strictPort === void 0) return [];
    if (renamedTo(base, context.head.objectsOf(PEER_AUTHENTICATION))) return [];
    const path = before.top === "STRICT" ? ["spec", "mtls", "mode"] : ["spec", "portLevelMtls", strictPort ?? "", "mode"];
    return [{ on: "base", messageId: "peerAuthRemoved", data: { name: displayName(base.identity) }, path }];
  }
  const after = peerAuthModes(head);
  const name = displayName(head.identity);
  const violations = [];
  if (peerAuthLoosened(before.top, after.top)) {
    const path = ["spec", "mtls", "mode"];
    violations.push({
      on: "head",
      messageId: "peerAuthWeakened",
      data: { name, from: showMode(before.top), to: showMode(after.top) },
      path,
      fix: restoreFix(`Set the mTLS mode back to ${before.top ?? ""}.`, path, before.top)
    });
  }
  for (const port of /* @__PURE__ */ new Set([...before.ports.keys(), ...after.ports.keys()])) {
    const explicitBefore = before.ports.get(port);
    const explicitAfter = after.ports.get(port);
    if (explicitBefore === explicitAfter) continue;
    const from = explicitBefore ?? before.top;
    const to = explicitAfter ?? after.top;
    if (!peerAuthLoosened(from, to)) continue;
    const path = ["spec", "portLevelMtls", port, "mode"];
    violations.push({
      on: "head",
      messageId: "peerAuthPortWeakened",
      data: { name, port, from: showMode(from), to: showMode(to) },
      path,
      fix: restoreFix(`Set the mTLS mode of port ${port} back to ${from ?? ""}.`, path, from)
    });
  }
  return violations;
}
function renamedTo(base, candidates) {
  return candidates.some(
    (other) => other.identity.namespace === base.identity.namespace && other.identity.name !== base.identity.name && sameJson(other.object.spec ?? {}, base.object.spec ?? {})
  );
}
function locationKey(subset, port) {
  return `${subset ?? ""}
${port ?? ""}`;
}
function tlsSettings(resource) {
  const spec2 = asObject(resource.object.spec) ?? {};
  const settings = { locations: /* @__PURE__ */ new Map(), subsets: /* @__PURE__ */ new Set() };
  const add = (location) => {
    settings.locations.set(locationKey(location.subset, location.port), location);
  };
  const readPolicy = (policy, subset, at) => {
    add({ subset, mode: asString(getIn(policy, ["tls", "mode"])), path: [...at, "tls", "mode"] });
    const ports = asArray(policy?.portLevelSettings);
    const number = (item) => scalarText(getIn(item, ["port", "number"]));
    ports.forEach((item, index) => {
      const port = number(item);
      if (port === void 0) return;
      const ref = uniqueRef(ports, index, number, "port");
      add({ subset, port, mode: asString(getIn(item, ["tls", "mode"])), path: [...at, "portLevelSettings", ref, "tls", "mode"] });
    });
  };
  readPolicy(asObject(spec2.trafficPolicy), void 0, ["spec", "trafficPolicy"]);
  const subsets = asArray(spec2.subsets);
  const subsetName = (item) => asString(asObject(item)?.name);
  subsets.forEach((item, index) => {
    const name = subsetName(item);
    if (name === void 0) return;
    settings.subsets.add(name);
    const ref = uniqueRef(subsets, index, subsetName, "name");
    readPolicy(asObject(asObject(item)?.trafficPolicy), name, ["spec", "subsets", ref, "trafficPolicy"]);
  });
  return settings;
}
function effectiveTls(settings, subset, port) {
  const chain = [
    [subset, port],
    [subset, void 0],
    [void 0, port],
    [void 0, void 0]
  ];
  for (const [s, p] of chain) {
    const mode = settings.locations.get(locationKey(s, p))?.mode;
    if (mode !== void 0) return mode;
  }
  return void 0;
}
function describeLocation(subset, port) {
  if (subset === void 0 && port === void 0) return "its traffic policy";
  return [subset === void 0 ? "" : `subset ${subset}`, port === void 0 ? "" : `port ${port}`].filter(Boolean).join(" ");
}
function destinationRule(change, context) {
  const { base, head } = change;
  if (!base) return [];
  const before = tlsSettings(base);
  if (!head) {
    const mutual = [...before.locations.values()].find((l) => l.mode === "ISTIO_MUTUAL");
    if (!mutual || renamedTo(base, context.head.objectsOf(DESTINATION_RULE))) return [];
    return [{ on: "base", messageId: "destinationRuleRemoved", data: { name: displayName(base.identity) }, path: mutual.path }];
  }
  const after = tlsSettings(head);
  const name = displayName(head.identity);
  const violations = [];
  for (const key of /* @__PURE__ */ new Set([...before.locations.keys(), ...after.locations.keys()])) {
    const location = after.locations.get(key) ?? before.locations.get(key);
    const { subset, port } = location;
    if (subset !== void 0 && !after.subsets.has(subset)) continue;
    if (before.locations.get(key)?.mode === after.locations.get(key)?.mode) continue;
    const from = effectiveTls(before, subset, port);
    const to = effectiveTls(after, subset, port);
    if (from !== "ISTIO_MUTUAL" || to === "ISTIO_MUTUAL") continue;
    const headPath = after.locations.get(key)?.path;
    violations.push({
      on: "head",
      messageId: "destinationRuleWeakened",
      data: { name, where: describeLocation(subset, port), to: to ?? "unset" },
      path: headPath ?? goneEntryPath(after, subset),
      ...headPath ? { fix: restoreFix("Set the TLS mode back to ISTIO_MUTUAL.", headPath, "ISTIO_MUTUAL") } : {}
    });
  }
  return violations;
}
function goneEntryPath(settings, subset) {
  const policy = settings.locations.get(locationKey(subset, void 0))?.path ?? ["spec", "trafficPolicy", "tls", "mode"];
  return [...policy.slice(0, -2), "portLevelSettings"];
}
var INBOUND_RANK = {
  deny: 5,
  "cluster-authenticated": 4,
  "all-authenticated": 3,
  "cluster-unauthenticated": 2,
  "all-unauthenticated": 1,
  audit: 1
};
var MESHED = /* @__PURE__ */ new Set(["enabled", "ingress"]);
function linkerdSetting(resource, context, key) {
  const pod = context.podOf(resource);
  const podValue = pod ? annotationOf(pod.metadata, key) : void 0;
  if (pod && podValue !== void 0) return { value: podValue, path: [...pod.metadataPath, "annotations", key] };
  const own = annotationOf(resource.object.metadata, key);
  return own === void 0 ? void 0 : { value: own, path: ["metadata", "annotations", key] };
}
function linkerd(change, context) {
  const { base, head } = change;
  if (!base || !head) return [];
  const isNamespace = head.identity.group === "" && head.identity.kind === "Namespace";
  if (!isNamespace && !context.podOf(head)) return [];
  const data = { kind: head.identity.kind, name: displayName(head.identity) };
  const violations = [];
  const policyBefore = linkerdSetting(base, context, INBOUND_POLICY);
  const policyAfter = linkerdSetting(head, context, INBOUND_POLICY);
  const rankBefore = policyBefore ? INBOUND_RANK[policyBefore.value] : void 0;
  if (policyBefore && rankBefore !== void 0) {
    const path = policyAfter?.path ?? policyBefore.path;
    const fix2 = restoreFix(`Set the default inbound policy back to ${policyBefore.value}.`, path, policyBefore.value);
    const rankAfter = policyAfter ? INBOUND_RANK[policyAfter.value] : void 0;
    if (policyAfter && rankAfter !== void 0 && rankAfter < rankBefore) {
      const loosened = { ...data, from: policyBefore.value, to: policyAfter.value };
      violations.push({ on: "head", messageId: "inboundPolicyLoosened", data: loosened, path, fix: fix2 });
    } else if (!policyAfter && rankBefore > 1) {
      violations.push({ on: "head", messageId: "inboundPolicyRemoved", data: { ...data, from: policyBefore.value }, path, fix: fix2 });
    }
  }
  const injectBefore = linkerdSetting(base, context, INJECT);
  const injectAfter = linkerdSetting(head, context, INJECT);
  if (injectBefore && MESHED.has(injectBefore.value) && injectAfter?.value === "disabled") {
    violations.push({
      on: "head",
      messageId: "unmeshed",
      data: { ...data, from: injectBefore.value },
      path: injectAfter.path,
      fix: restoreFix(`Set ${INJECT} back to ${injectBefore.value}.`, injectAfter.path, injectBefore.value)
    });
  }
  return violations;
}

// src/rules/network/cidr.ts
function parseCidr(text) {
  const slash = text.indexOf("/");
  if (slash < 0 || text.indexOf("/", slash + 1) >= 0) return null;
  const addressText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (!/^[0-9]+$/.test(prefixText)) return null;
  const v4 = parseIPv4(addressText);
  const family = v4 !== null ? 4 : 6;
  const address = v4 ?? parseIPv6(addressText);
  if (address === null) return null;
  const prefix = Number(prefixText);
  if (prefix > bitsOf(family)) return null;
  return { family, address, prefix };
}
function strictlyContains(outer, inner) {
  if (outer.family !== inner.family || inner.prefix <= outer.prefix) return false;
  const shift = BigInt(bitsOf(outer.family) - outer.prefix);
  return outer.address >> shift === inner.address >> shift;
}
function isEverything(cidr) {
  return cidr.prefix === 0;
}
function bitsOf(family) {
  return family === 4 ? 32 : 128;
}
function parseIPv4(text) {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^[0-9]{1,3}$/.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value << 8n | BigInt(octet);
  }
  return value;
}
function parseIPv6(text) {
  if (text === "" || text.includes("%")) return null;
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = groupsOf(halves[0] ?? "", halves.length === 1);
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? "", true) : [];
  if (head === null || tail === null) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  let value = 0n;
  for (const group of [...head, ...Array(Math.max(missing, 0)).fill(0), ...tail]) {
    value = value << 16n | BigInt(group);
  }
  return value;
}
function groupsOf(text, mayEndInIPv4) {
  if (text === "") return [];
  const parts = text.split(":");
  const groups = [];
  for (const [i, part] of parts.entries()) {
    if (i === parts.length - 1 && mayEndInIPv4 && part.includes(".")) {
      const v4 = parseIPv4(part);
      if (v4 === null) return null;
      groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
    } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
      groups.push(parseInt(part, 16));
    } else return null;
  }
  return groups;
}

// src/rules/network/network-policy.ts
var NETWORK_POLICY_KINDS = ["networking.k8s.io/NetworkPolicy", "extensions/NetworkPolicy"];
var DIRECTIONS = [
  { type: "Ingress", field: "ingress", peers: "from" },
  { type: "Egress", field: "egress", peers: "to" }
];
function specOf(resource) {
  return asObject(resource.object.spec) ?? {};
}
function effectiveTypes(spec2) {
  const listed2 = asArray(spec2.policyTypes);
  if (listed2.length > 0) return new Set(listed2.filter((t) => t === "Ingress" || t === "Egress"));
  const types = /* @__PURE__ */ new Set(["Ingress"]);
  if (asArray(spec2.egress).length > 0) types.add("Egress");
  return types;
}
function rulesOf(spec2, direction) {
  return asArray(spec2[direction.field]);
}
function portTexts(rule) {
  const ports = asArray(asObject(rule)?.ports);
  if (ports.length === 0) return void 0;
  return ports.map((item) => {
    const port = asObject(item);
    const number = scalarText(port?.port) ?? "*";
    const end = scalarText(port?.endPort);
    const protocol = asString(port?.protocol);
    return `${number}${end ? `-${end}` : ""}${protocol && protocol !== "TCP" ? `/${protocol}` : ""}`;
  });
}
function portsText(rule) {
  return portTexts(rule)?.join(",");
}
function portsCovered(wider, rule) {
  const widerPorts = portTexts(wider);
  if (widerPorts === void 0) return true;
  const ports = portTexts(rule);
  return ports !== void 0 && ports.every((p) => widerPorts.includes(p));
}
function ruleRef(rules, index) {
  return uniqueRef(rules, index, portsText, "ports");
}
function broadPeers(rule, direction) {
  const object = asObject(rule);
  if (!object) return [];
  const peers = asArray(object[direction.peers]);
  if (peers.length === 0) return [{ breadth: "any", path: [] }];
  const found = [];
  peers.forEach((item, j) => {
    const peer = asObject(item);
    if (!peer) return;
    const has = (key) => peer[key] !== void 0 && peer[key] !== null;
    if (!has("podSelector") && !has("namespaceSelector") && !has("ipBlock")) {
      found.push({ breadth: "any", path: [direction.peers, j] });
    } else if (has("namespaceSelector") && isEmptySelector(peer.namespaceSelector) && isEmptySelector(peer.podSelector)) {
      found.push({ breadth: "anyPod", path: [direction.peers, j, "namespaceSelector"] });
    } else if (has("ipBlock")) {
      const cidr = parseCidr(asString(asObject(peer.ipBlock)?.cidr) ?? "");
      if (cidr && isEverything(cidr)) found.push({ breadth: "anyAddress", path: [direction.peers, j, "ipBlock", "cidr"] });
    }
  });
  return found;
}
function samePolicySpec(a, b) {
  const normal = (spec2) => ({
    podSelector: asObject(spec2.podSelector) ?? {},
    policyTypes: [...effectiveTypes(spec2)].sort(),
    ingress: asArray(spec2.ingress),
    egress: asArray(spec2.egress)
  });
  return sameJson(normal(a), normal(b));
}
var byNamespace = /* @__PURE__ */ new WeakMap();
function policiesIn(view, namespace) {
  let index = byNamespace.get(view);
  if (!index) {
    index = /* @__PURE__ */ new Map();
    for (const policy of NETWORK_POLICY_KINDS.flatMap((kind) => view.objectsOf(kind))) {
      const key = policy.identity.namespace ?? "";
      const list2 = index.get(key);
      if (list2) list2.push(policy);
      else index.set(key, [policy]);
    }
    byNamespace.set(view, index);
  }
  return index.get(namespace ?? "") ?? [];
}
function policiesSelecting(view, namespace, labels) {
  return policiesIn(view, namespace).filter((policy) => selectorMatches(specOf(policy).podSelector, labels));
}

// src/rules/network/networkpolicy-invalid.ts
var REJECTED = "the API server rejects the whole policy, so none of it applies";
var networkpolicyInvalid = {
  kind: "object",
  meta: {
    id: "networkpolicy-invalid",
    title: "NetworkPolicy ipBlock the API server rejects",
    severity: "medium",
    description: "An `ipBlock` whose CIDR does not parse (`0.0.0.0/0/32`, `10.0.0.0/33`) or whose `except` entries are not inside it: the API server rejects the policy, so what applies is whatever was there before, not what the author meant. `0.0.0.0/0/32` is often written in the belief that it denies everything.",
    remediation: "Write a valid CIDR, with `except` entries strictly inside it. To deny all egress, list `Egress` in `policyTypes` and give no egress rules (`egress: []`); ingress likewise.",
    messages: {
      cidrInvalid: `ipBlock CIDR "{{cidr}}" in NetworkPolicy "{{policy}}" is not a valid CIDR: ${REJECTED}. To deny all {{direction}}, list {{type}} in policyTypes with no {{direction}} rules.`,
      cidrMissing: `An ipBlock in NetworkPolicy "{{policy}}" has no CIDR: ${REJECTED}.`,
      exceptInvalid: `except entry "{{except}}" of ipBlock "{{cidr}}" in NetworkPolicy "{{policy}}" is not a valid CIDR: ${REJECTED}.`,
      exceptOutside: `except entry "{{except}}" is not strictly inside ipBlock "{{cidr}}" in NetworkPolicy "{{policy}}": ${REJECTED}.`
    }
  },
  appliesTo: NETWORK_POLICY_KINDS,
  fieldsRead: ["object.spec.ingress", "object.spec.egress", "object.spec.policyTypes"],
  check: (resource) => {
    const spec2 = specOf(resource);
    const violations = [];
    for (const direction of DIRECTIONS) {
      const rules = rulesOf(spec2, direction);
      rules.forEach((rule, i) => {
        const peers = asArray(asObject(rule)?.[direction.peers]);
        peers.forEach((item, j) => {
          const ipBlock = asObject(asObject(item)?.ipBlock);
          if (!ipBlock) return;
          const at = ["spec", direction.field, ruleRef(rules, i), direction.peers, j, "ipBlock"];
          const alone = rules.length === 1 && peers.length === 1;
          violations.push(...checkIpBlock(resource, ipBlock.cidr, ipBlock.except, at, direction, alone));
        });
      });
    }
    return violations;
  }
};
function checkIpBlock(resource, cidrValue, exceptValue, at, direction, onlyPeerOfOnlyRule) {
  const policy = displayName(resource.identity);
  if (typeof cidrValue !== "string" || cidrValue === "") {
    return [{ messageId: "cidrMissing", data: { policy }, path: [...at, "cidr"] }];
  }
  const cidr = parseCidr(cidrValue);
  if (!cidr) {
    const violation = {
      messageId: "cidrInvalid",
      data: { policy, cidr: cidrValue, direction: direction.field, type: direction.type },
      path: [...at, "cidr"]
    };
    if (onlyPeerOfOnlyRule) violation.fix = denyAllFix(resource, direction);
    return [violation];
  }
  const violations = [];
  asArray(exceptValue).forEach((item, k) => {
    if (typeof item !== "string") return;
    const path = [...at, "except", { index: k, key: null, value: item }];
    const except = parseCidr(item);
    if (!except) violations.push({ messageId: "exceptInvalid", data: { policy, cidr: cidrValue, except: item }, path });
    else if (!strictlyContains(cidr, except)) {
      violations.push({ messageId: "exceptOutside", data: { policy, cidr: cidrValue, except: item }, path });
    }
  });
  return violations;
}
function denyAllFix(resource, direction) {
  const types = effectiveTypes(specOf(resource));
  types.add(direction.type);
  const policyTypes = DIRECTIONS.filter((d) => types.has(d.type)).map((d) => d.type);
  return {
    safety: "review",
    description: `Deny all ${direction.field}: no ${direction.field} rules, ${direction.type} in policyTypes.`,
    edits: [
      { op: "set", path: ["spec", direction.field], value: [] },
      { op: "set", path: ["spec", "policyTypes"], value: policyTypes }
    ]
  };
}

// src/rules/network/networkpolicy-removed.ts
var networkpolicyRemoved = {
  kind: "transition",
  meta: {
    id: "networkpolicy-removed",
    title: "NetworkPolicy removed",
    severity: "high",
    description: "A NetworkPolicy present at base is gone at head: the pods it selected lose the isolation it gave them, often silently reopening traffic a default-deny policy closed.",
    remediation: "Keep the policy, or replace it with one that selects the same pods before removing it. No automatic fix is offered: restoring a deleted object is a decision, not an edit.",
    messages: {
      removed: 'NetworkPolicy "{{policy}}" was removed; it selected {{selected}}.'
    }
  },
  appliesTo: NETWORK_POLICY_KINDS,
  reads: NETWORK_POLICY_KINDS,
  check: (change, context) => {
    const { base, head } = change;
    if (!base || head) return [];
    const spec2 = specOf(base);
    const kept = policiesIn(context.head, base.identity.namespace).some(
      (p) => identityKey(p.identity) !== identityKey(base.identity) && samePolicySpec(specOf(p), spec2)
    );
    if (kept) return [];
    const selected = isEmptySelector(spec2.podSelector) ? "every pod in its namespace" : `the pods matching ${describeSelector(spec2.podSelector)}`;
    return [
      {
        on: "base",
        messageId: "removed",
        data: { policy: displayName(base.identity), selected },
        path: ["metadata", "name"]
      }
    ];
  }
};

// src/rules/network/networkpolicy-weakened.ts
var networkpolicyWeakened = {
  kind: "transition",
  meta: {
    id: "networkpolicy-weakened",
    title: "NetworkPolicy weakened",
    severity: "high",
    description: "A NetworkPolicy now admits far more than before: a rule that allows every source or destination, a direction dropped from `policyTypes`, or a default-deny policy that gained rules or stopped selecting every pod.",
    remediation: "Name the peers the traffic really needs (a `podSelector`, a `namespaceSelector` with labels, a narrow `ipBlock`) and keep the directions the policy isolated in `policyTypes`.",
    messages: {
      admitsAll: 'NetworkPolicy "{{policy}}" now admits {{direction}} {{peer}} on {{ports}}.',
      typeLost: 'NetworkPolicy "{{policy}}" no longer isolates {{types}}: it is gone from the policy types.',
      defaultDenyOpened: 'Default-deny NetworkPolicy "{{policy}}" now allows {{direction}} traffic ({{count}} rule(s)).',
      defaultDenyNarrowed: 'Default-deny NetworkPolicy "{{policy}}" now selects only pods matching {{selector}}, not every pod.'
    }
  },
  appliesTo: NETWORK_POLICY_KINDS,
  reads: NETWORK_POLICY_KINDS,
  check: (change, context) => {
    const { base, head } = change;
    if (!head) return [];
    const headSpec = specOf(head);
    const baseSpec = base ? specOf(base) : void 0;
    const policy = displayName(head.identity);
    const violations = [];
    const headTypes = effectiveTypes(headSpec);
    const baseTypes = baseSpec ? effectiveTypes(baseSpec) : /* @__PURE__ */ new Set();
    const lost = DIRECTIONS.filter((d) => baseTypes.has(d.type) && !headTypes.has(d.type)).map((d) => d.type);
    if (lost.length > 0) {
      const restored = DIRECTIONS.filter((d) => baseTypes.has(d.type) || headTypes.has(d.type)).map((d) => d.type);
      violations.push({
        on: "head",
        messageId: "typeLost",
        data: { policy, types: lost.join(" and ") },
        path: ["spec", "policyTypes"],
        fix: restoreFix(`Set policyTypes to [${restored.join(", ")}].`, ["spec", "policyTypes"], restored)
      });
    }
    const baseDefaultDeny = (d) => baseSpec !== void 0 && baseTypes.has(d.type) && isEmptySelector(baseSpec.podSelector) && rulesOf(baseSpec, d).length === 0;
    if (baseSpec && DIRECTIONS.some(baseDefaultDeny) && !isEmptySelector(headSpec.podSelector)) {
      violations.push({
        on: "head",
        messageId: "defaultDenyNarrowed",
        data: { policy, selector: describeSelector(headSpec.podSelector) },
        path: ["spec", "podSelector"],
        fix: restoreFix("Select every pod again.", ["spec", "podSelector"], baseSpec.podSelector ?? {})
      });
    }
    for (const direction of DIRECTIONS) {
      if (!headTypes.has(direction.type)) continue;
      const admitsAll = broadRulesGained(head, headSpec, baseSpec, baseTypes, direction, context);
      violations.push(...admitsAll);
      const headRules = rulesOf(headSpec, direction);
      if (admitsAll.length === 0 && baseSpec && baseDefaultDeny(direction) && headRules.length > 0) {
        violations.push({
          on: "head",
          messageId: "defaultDenyOpened",
          data: { policy, direction: direction.field, count: headRules.length },
          path: ["spec", direction.field],
          fix: restoreFix(
            `Restore the empty ${direction.field} rules of the default-deny policy.`,
            ["spec", direction.field],
            baseSpec[direction.field]
          )
        });
      }
    }
    return violations;
  }
};
var PEER_TEXT = {
  Ingress: { any: "from any source", anyPod: "from every pod in every namespace", anyAddress: "from any address" },
  Egress: { any: "to any destination", anyPod: "to every pod in every namespace", anyAddress: "to any address" }
};
function broadRulesGained(head, headSpec, baseSpec, baseTypes, direction, context) {
  const isolatedByOthers = () => policiesIn(context.base, head.identity.namespace).some(
    (p) => p.identity.name !== head.identity.name && effectiveTypes(specOf(p)).has(direction.type)
  );
  const headRules = rulesOf(headSpec, direction);
  const baseRules = baseSpec && baseTypes.has(direction.type) ? rulesOf(baseSpec, direction) : [];
  const violations = [];
  let isolated;
  headRules.forEach((rule, i) => {
    for (const peer of broadPeers(rule, direction)) {
      const covered = baseRules.some(
        (baseRule) => portsCovered(baseRule, rule) && broadPeers(baseRule, direction).some((b) => b.breadth === "any" || b.breadth === peer.breadth)
      );
      if (covered) continue;
      isolated ??= baseTypes.has(direction.type) || isolatedByOthers();
      if (!isolated) return;
      const ports = portsText(rule);
      violations.push({
        on: "head",
        messageId: "admitsAll",
        data: {
          policy: displayName(head.identity),
          direction: direction.field,
          peer: PEER_TEXT[direction.type][peer.breadth],
          ports: ports === void 0 ? "every port" : `${ports.includes(",") ? "ports" : "port"} ${ports}`
        },
        path: ["spec", direction.field, ruleRef(headRules, i), ...peer.path]
      });
    }
  });
  return violations;
}

// src/rules/network/service-exposed.ts
var INTERNAL_LOAD_BALANCER = [
  ["service.beta.kubernetes.io/aws-load-balancer-internal", "true"],
  ["service.beta.kubernetes.io/aws-load-balancer-scheme", "internal"],
  ["networking.gke.io/load-balancer-type", "internal"],
  ["cloud.google.com/load-balancer-type", "internal"],
  ["service.beta.kubernetes.io/azure-load-balancer-internal", "true"],
  ["service.beta.kubernetes.io/oci-load-balancer-internal", "true"],
  ["service.beta.kubernetes.io/openstack-internal-load-balancer", "true"]
];
var SOURCE_RANGES_ANNOTATION = "service.beta.kubernetes.io/load-balancer-source-ranges";
var REACH = ["", "on a port of every node", "through an internal load balancer", "through an external load balancer"];
var serviceExposed = {
  kind: "transition",
  meta: {
    id: "service-exposed",
    title: "Service exposed outside the cluster",
    severity: "medium",
    description: "A Service becomes reachable from outside the cluster: it turns (or is created as) NodePort or LoadBalancer, an internal load balancer turns external, it gains `externalIPs`, or a LoadBalancer stops restricting its source ranges.",
    remediation: "Keep internal Services `ClusterIP` and publish them through an Ingress or Gateway; if a load balancer is needed, make it internal or restrict `loadBalancerSourceRanges`. Avoid `externalIPs`.",
    messages: {
      created: 'Service "{{service}}" is created as {{type}}, reachable {{reach}}.',
      typeChanged: 'Service "{{service}}" changes from {{from}} to {{to}}, reachable {{reach}}.',
      becameExternal: 'LoadBalancer Service "{{service}}" is no longer internal: annotation {{annotation}} changed.',
      externalIP: 'Service "{{service}}" gains external IP {{ip}}.',
      sourceRangesRemoved: 'LoadBalancer Service "{{service}}" no longer restricts source ranges: any address may connect.',
      sourceRangeOpen: 'LoadBalancer Service "{{service}}" now admits source range {{range}}: any address.'
    }
  },
  appliesTo: ["/Service"],
  check: (change) => {
    const { base, head } = change;
    if (!head) return [];
    const service = displayName(head.identity);
    const headSpec = asObject(head.object.spec) ?? {};
    const baseSpec = base ? asObject(base.object.spec) ?? {} : void 0;
    const after = exposureOf(head);
    const before = base ? exposureOf(base) : void 0;
    const violations = [];
    const severity = after.level === 2 ? "low" : void 0;
    if (after.level > (before?.level ?? 0)) {
      const reach = REACH[after.level] ?? "";
      if (!base || !before || !baseSpec) {
        const data = { service, type: after.label, reach };
        violations.push({ on: "head", messageId: "created", data, path: ["spec", "type"], severity });
      } else if (before.type !== after.type) {
        violations.push({
          on: "head",
          messageId: "typeChanged",
          data: { service, from: before.label, to: after.label, reach },
          path: ["spec", "type"],
          severity,
          fix: {
            safety: "review",
            description: `Set the type back to ${before.type}.`,
            edits: [restoreType(baseSpec), ...before.level === 0 ? nodePortDeletions(headSpec) : []]
          }
        });
      } else if (before.internalBy) {
        const annotation = before.internalBy;
        violations.push({
          on: "head",
          messageId: "becameExternal",
          data: { service, annotation },
          path: ["metadata", "annotations", annotation],
          fix: restoreFix(
            "Make the load balancer internal again.",
            ["metadata", "annotations", annotation],
            annotationOf(base.object.metadata, annotation)
          )
        });
      }
    }
    const baseIPs = new Set(asArray(baseSpec?.externalIPs).filter((ip) => typeof ip === "string"));
    asArray(headSpec.externalIPs).forEach((ip, index) => {
      if (typeof ip !== "string" || baseIPs.has(ip)) return;
      violations.push({
        on: "head",
        messageId: "externalIP",
        data: { service, ip },
        path: ["spec", "externalIPs", { index, key: null, value: ip }]
      });
    });
    if (base && baseSpec && before && before.level >= 2 && after.level >= 2) {
      violations.push(...sourceRangeChanges(base, baseSpec, head, headSpec, service));
    }
    return violations;
  }
};
function exposureOf(resource) {
  const type = asString(asObject(resource.object.spec)?.type) ?? "ClusterIP";
  if (type === "NodePort") return { type, level: 1, label: "NodePort" };
  if (type !== "LoadBalancer") return { type, level: 0, label: type };
  const internalBy = INTERNAL_LOAD_BALANCER.find(
    ([annotation, value]) => annotationOf(resource.object.metadata, annotation)?.toLowerCase() === value
  )?.[0];
  return internalBy ? { type, level: 2, label: "internal LoadBalancer", internalBy } : { type, level: 3, label: "LoadBalancer" };
}
function restoreType(baseSpec) {
  const type = asString(baseSpec.type);
  return type === void 0 ? { op: "delete", path: ["spec", "type"] } : { op: "set", path: ["spec", "type"], value: type };
}
function nodePortDeletions(headSpec) {
  const ports = asArray(headSpec.ports);
  return ports.flatMap((item, index) => {
    if (asObject(item)?.nodePort === void 0) return [];
    const name = (value) => asString(asObject(value)?.name);
    const number = (value) => scalarText(asObject(value)?.port);
    const ref = name(item) !== void 0 ? uniqueRef(ports, index, name, "name") : uniqueRef(ports, index, number, "port");
    return [{ op: "delete", path: ["spec", "ports", ref, "nodePort"] }];
  });
}
function sourceRangesOf(resource, spec2) {
  const ranges = asArray(spec2.loadBalancerSourceRanges).filter((r) => typeof r === "string");
  if (ranges.length > 0) return { ranges, field: "spec" };
  const annotation = annotationOf(resource.object.metadata, SOURCE_RANGES_ANNOTATION);
  const listed2 = (annotation ?? "").split(",").map((r) => r.trim()).filter((r) => r !== "");
  return listed2.length > 0 ? { ranges: listed2, field: "annotation" } : { ranges: [], field: null };
}
function sourceRangeChanges(base, baseSpec, head, headSpec, service) {
  const before = sourceRangesOf(base, baseSpec);
  const after = sourceRangesOf(head, headSpec);
  if (before.ranges.length === 0) return [];
  if (after.ranges.length === 0) {
    const inSpec = before.field === "spec";
    const path = inSpec ? ["spec", "loadBalancerSourceRanges"] : ["metadata", "annotations", SOURCE_RANGES_ANNOTATION];
    const baseValue = inSpec ? baseSpec.loadBalancerSourceRanges : annotationOf(base.object.metadata, SOURCE_RANGES_ANNOTATION);
    return [
      {
        on: "head",
        messageId: "sourceRangesRemoved",
        data: { service },
        path,
        fix: restoreFix("Restore the source ranges.", path, baseValue)
      }
    ];
  }
  const wide = after.ranges.filter((range) => {
    const cidr = parseCidr(range);
    return cidr !== null && isEverything(cidr) && !before.ranges.includes(range);
  });
  return wide.map((range) => {
    const index = asArray(headSpec.loadBalancerSourceRanges).indexOf(range);
    const path = after.field === "spec" ? ["spec", "loadBalancerSourceRanges", { index, key: null, value: range }] : ["metadata", "annotations", SOURCE_RANGES_ANNOTATION];
    return { on: "head", messageId: "sourceRangeOpen", data: { service, range }, path };
  });
}

// src/rules/network/workload-uncovered.ts
var workloadUncovered = {
  kind: "transition",
  meta: {
    id: "workload-uncovered",
    title: "Workload no longer selected by any NetworkPolicy",
    severity: "medium",
    description: "A workload whose pods some NetworkPolicy selected at base is selected by none at head (a label changed, a policy was removed or its selector narrowed): its pods accept and send any traffic again.",
    remediation: "Keep the pod labels the policies select, or widen a policy's `podSelector` (or add one) so it selects the new labels.",
    messages: {
      uncovered: '{{kind}} "{{workload}}" is no longer selected by any NetworkPolicy; at base it was selected by {{policies}}.'
    }
  },
  // any kind with a pod template, configured CRDs included: the check asks `podOf`
  appliesTo: ["*"],
  reads: NETWORK_POLICY_KINDS,
  check: (change, context) => {
    const { base, head } = change;
    if (!base || !head) return [];
    const basePod = context.podOf(base);
    const headPod = context.podOf(head);
    if (!basePod || !headPod) return [];
    const before = policiesSelecting(context.base, base.identity.namespace, labelsOf(basePod.metadata));
    if (before.length === 0) return [];
    if (policiesSelecting(context.head, head.identity.namespace, labelsOf(headPod.metadata)).length > 0) return [];
    return [
      {
        on: "head",
        messageId: "uncovered",
        data: {
          kind: head.identity.kind,
          workload: displayName(head.identity),
          policies: listNames(before.map((p) => p.identity.name))
        },
        path: [...headPod.metadataPath, "labels"]
      }
    ];
  }
};

// src/rules/network/index.ts
var NETWORK_RULES = [
  networkpolicyRemoved,
  networkpolicyWeakened,
  networkpolicyInvalid,
  workloadUncovered,
  serviceExposed,
  ingressTlsRemoved,
  ingressNginxSnippet,
  mtlsWeakened
];

// src/rules/rbac/policy-rules.ts
var RBAC_GROUP = "rbac.authorization.k8s.io";
var ROLE_KINDS = [`${RBAC_GROUP}/Role`, `${RBAC_GROUP}/ClusterRole`];
var BINDING_KINDS = [`${RBAC_GROUP}/RoleBinding`, `${RBAC_GROUP}/ClusterRoleBinding`];
function policyRulesOf(resource) {
  return asArray(resource.object.rules).flatMap((item, index) => {
    const rule = asObject(item);
    if (!rule) return [];
    return [
      {
        segment: { index, key: null, value: describeRule(rule) },
        apiGroups: strings(rule.apiGroups).map((e) => e.value),
        resources: strings(rule.resources).map((e) => e.value),
        verbs: strings(rule.verbs)
      }
    ];
  });
}
function strings(value) {
  return asArray(value).flatMap((item, index) => {
    const text = asString(item);
    return text === void 0 ? [] : [{ index, value: text }];
  });
}
function describeRule(rule) {
  const sorted2 = (value) => [...new Set(strings(value).map((e) => e.value))].sort();
  const groups = sorted2(rule.apiGroups).map((g) => g === "" ? "core" : g);
  const resources = sorted2(rule.resources);
  if (groups.length > 0 || resources.length > 0) return `${groups.join(",")}/${resources.join(",")}`;
  return sorted2(rule.nonResourceURLs).join(",");
}
function verbPath(rule, verb) {
  return ["rules", rule.segment, "verbs", { index: verb.index, key: null, value: verb.value }];
}
function coversGroup(rule, group) {
  return rule.apiGroups.some((g) => g === "*" || g === group);
}
function coversResource(rule, resource) {
  const slash = resource.indexOf("/");
  const subresource = slash < 0 ? null : resource.slice(slash + 1);
  return rule.resources.some((r) => r === "*" || r === resource || subresource !== null && r === `*/${subresource}`);
}
function grantsVerb(entry2, verb) {
  return entry2 === "*" || entry2 === verb;
}

// src/rules/rbac/rbac-cluster-admin-binding.ts
var EVERYONE = /* @__PURE__ */ new Set(["system:anonymous", "system:unauthenticated", "system:authenticated"]);
var DEFAULT_PUBLIC_ROLES = /* @__PURE__ */ new Set(["system:basic-user", "system:discovery", "system:public-info-viewer"]);
function describeSubject(subject) {
  const kind = asString(subject.kind) ?? "subject";
  const name = asString(subject.name) ?? "?";
  const namespace = asString(subject.namespace);
  return kind === "ServiceAccount" && namespace ? `${kind} ${namespace}/${name}` : `${kind} ${name}`;
}
var rbacClusterAdminBinding = {
  kind: "object",
  appliesTo: BINDING_KINDS,
  meta: {
    id: "rbac-cluster-admin-binding",
    title: "Binding to cluster-admin or to everyone",
    severity: "critical",
    description: "`cluster-admin` can do anything to any object; `system:anonymous`, `system:unauthenticated` and `system:authenticated` stand for every caller, so a binding to them hands its role to the whole network or to anyone holding any credential.",
    remediation: "Bind a role that grants only what the subjects need, and bind named users, groups or service accounts, never the built-in groups that stand for everyone.",
    messages: {
      clusterAdmin: "The binding grants cluster-admin to {{subjects}}.",
      everyone: 'The binding grants role "{{role}}" to {{kind}} "{{name}}", which stands for {{who}}.'
    }
  },
  fieldsRead: ["object.roleRef", "object.subjects"],
  check: (resource) => {
    const roleRef = asObject(resource.object.roleRef);
    const roleKind = asString(roleRef?.kind);
    const roleName = asString(roleRef?.name) ?? "";
    const subjects = asArray(resource.object.subjects).map((item, index) => ({ index, subject: asObject(item) }));
    const violations = [];
    if (roleKind === "ClusterRole" && roleName === "cluster-admin") {
      const named = subjects.flatMap(({ subject }) => subject ? [describeSubject(subject)] : []);
      violations.push({
        messageId: "clusterAdmin",
        data: { subjects: named.length > 0 ? named.join(", ") : "no subjects yet" },
        path: ["roleRef", "name"]
      });
    }
    if (roleKind === "ClusterRole" && DEFAULT_PUBLIC_ROLES.has(roleName)) return violations;
    for (const { index, subject } of subjects) {
      const kind = asString(subject?.kind);
      const name = asString(subject?.name);
      if (!name || !EVERYONE.has(name) || kind !== "Group" && kind !== "User") continue;
      const path = ["subjects", { index, key: "name", value: name }];
      violations.push({
        messageId: "everyone",
        data: {
          role: roleName,
          kind,
          name,
          who: name === "system:authenticated" ? "every caller with any valid credential" : "unauthenticated callers"
        },
        path,
        fix: { safety: "review", description: `Remove the subject ${name}.`, edits: [{ op: "delete", path }] }
      });
    }
    return violations;
  }
};

// src/rules/rbac/rbac-privilege-escalation.ts
var WRITE_VERBS = ["create", "update", "patch", "delete", "deletecollection"];
var CAPABILITIES = [
  { label: "escalate roles beyond their own permissions", groups: [RBAC_GROUP], resources: ["roles", "clusterroles"], verbs: ["escalate"] },
  { label: "bind any role", groups: [RBAC_GROUP], resources: ["roles", "clusterroles"], verbs: ["bind"] },
  {
    label: "impersonate other users, groups or service accounts",
    groups: ["", "authentication.k8s.io"],
    resources: ["users", "groups", "serviceaccounts", "uids", "userextras/*"],
    verbs: ["impersonate"]
  },
  { label: "exec into pods", groups: [""], resources: ["pods/exec"], verbs: ["create"] },
  { label: "attach to pods", groups: [""], resources: ["pods/attach"], verbs: ["create"] },
  { label: "mint service account tokens", groups: [""], resources: ["serviceaccounts/token"], verbs: ["create"] },
  { label: "reach the kubelet API through nodes/proxy", groups: [""], resources: ["nodes/proxy"], verbs: ["create"] },
  { label: "write role bindings", groups: [RBAC_GROUP], resources: ["rolebindings", "clusterrolebindings"], verbs: WRITE_VERBS },
  {
    label: "write admission webhook configurations",
    groups: ["admissionregistration.k8s.io"],
    resources: ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"],
    verbs: WRITE_VERBS
  },
  {
    label: "approve certificate signing requests",
    groups: ["certificates.k8s.io"],
    resources: ["certificatesigningrequests/approval"],
    verbs: ["update", "patch"]
  },
  { label: "approve certificates for signers", groups: ["certificates.k8s.io"], resources: ["signers"], verbs: ["approve"] }
];
function covers2(rule, capability, verb) {
  if (!capability.verbs.some((v) => grantsVerb(verb, v))) return false;
  if (!capability.groups.some((g) => coversGroup(rule, g))) return false;
  return capability.resources.some(
    (resource) => resource.endsWith("/*") ? rule.resources.some((r) => r === "*" || r.startsWith(resource.slice(0, -1))) : coversResource(rule, resource)
  );
}
var rbacPrivilegeEscalation = {
  kind: "object",
  appliesTo: ROLE_KINDS,
  meta: {
    id: "rbac-privilege-escalation",
    title: "RBAC rule allows privilege escalation",
    severity: "high",
    description: "Some permissions are worth more than they look: binding or escalating roles, impersonation, exec into pods, minting tokens, the kubelet proxy, bindings, admission webhooks and certificate approval each let the holder obtain permissions it was never granted.",
    remediation: "Remove the verb, or restrict it to the few trusted subjects (and `resourceNames`) that need it, and bind it in as narrow a scope as possible.",
    messages: {
      escalation: 'Rule "{{rule}}" grants "{{verb}}", which lets subjects {{capabilities}}.'
    }
  },
  fieldsRead: ["object.rules"],
  check: (resource) => policyRulesOf(resource).flatMap(
    (rule) => rule.verbs.flatMap((verb) => {
      const labels = CAPABILITIES.filter((c) => covers2(rule, c, verb.value)).map((c) => c.label);
      if (labels.length === 0) return [];
      return [
        {
          messageId: "escalation",
          data: { rule: rule.segment.value, verb: verb.value, capabilities: labels.join("; ") },
          path: verbPath(rule, verb)
        }
      ];
    })
  )
};

// src/rules/rbac/rbac-secrets-access.ts
var READ_VERBS = /* @__PURE__ */ new Set(["get", "list", "watch", "*"]);
var rbacSecretsAccess = {
  kind: "object",
  appliesTo: ROLE_KINDS,
  meta: {
    id: "rbac-secrets-access",
    title: "RBAC rule reads Secrets",
    severity: "medium",
    description: "Whoever can read Secrets holds every credential stored in them, including service account tokens that may carry more privileges than the reader.",
    remediation: "Grant access to Secrets only to the workloads that need them, by `resourceNames` where possible, and prefer mounting them over reading them through the API.",
    messages: {
      read: 'Rule "{{rule}}" grants "{{verb}}" on Secrets.',
      readNamed: 'Rule "{{rule}}" grants "{{verb}}" on the Secrets {{names}}.',
      all: 'Rule "{{rule}}" grants every verb on Secrets, including reading them.'
    }
  },
  fieldsRead: ["object.rules"],
  check: (resource) => {
    const items = asArray(resource.object.rules);
    return policyRulesOf(resource).flatMap((rule) => {
      if (!coversGroup(rule, "") || !coversResource(rule, "secrets")) return [];
      const names = strings(asObject(items[rule.segment.index])?.resourceNames).map((e) => `"${e.value}"`);
      return rule.verbs.filter((verb) => READ_VERBS.has(verb.value)).map((verb) => ({
        messageId: verb.value === "*" ? "all" : names.length > 0 ? "readNamed" : "read",
        data: { rule: rule.segment.value, verb: verb.value, names: names.join(", ") },
        path: verbPath(rule, verb)
      }));
    });
  }
};

// src/rules/rbac/rbac-wildcard.ts
var FIELDS = ["apiGroups", "resources", "verbs"];
var rbacWildcard = {
  kind: "object",
  appliesTo: ROLE_KINDS,
  meta: {
    id: "rbac-wildcard",
    title: "Wildcard in an RBAC rule",
    severity: "high",
    description: "A `*` grants everything that exists now and everything added later (new resources, CRDs, subresources, verbs such as `escalate`), which is rarely what was reviewed.",
    remediation: "List the verbs, resources and API groups the subject needs instead of `*`.",
    messages: {
      verbs: 'Rule "{{rule}}" grants every verb ("*"), including escalate, bind and impersonate where they apply.',
      resources: 'Rule "{{rule}}" grants access to every resource of its API groups ("*"), including ones added later.',
      subresources: 'Rule "{{rule}}" grants the "{{subresource}}" subresource of every resource ("{{entry}}").',
      apiGroups: 'Rule "{{rule}}" applies to every API group ("*"), including CRDs installed later.'
    }
  },
  fieldsRead: ["object.rules"],
  check: (resource) => {
    const items = asArray(resource.object.rules);
    return policyRulesOf(resource).flatMap((rule) => {
      const raw = asObject(items[rule.segment.index]) ?? {};
      return FIELDS.flatMap(
        (field) => strings(raw[field]).flatMap((entry2) => {
          const isSubresourceWildcard = field === "resources" && entry2.value.startsWith("*/");
          if (entry2.value !== "*" && !isSubresourceWildcard) return [];
          return [
            {
              messageId: isSubresourceWildcard ? "subresources" : field,
              data: { rule: rule.segment.value, entry: entry2.value, subresource: entry2.value.slice(2) },
              path: ["rules", rule.segment, field, { index: entry2.index, key: null, value: entry2.value }]
            }
          ];
        })
      );
    });
  }
};

// src/rules/rbac/index.ts
var RBAC_RULES = [rbacWildcard, rbacSecretsAccess, rbacPrivilegeEscalation, rbacClusterAdminBinding];

// src/rules/secrets/secret-in-manifest.ts
var SOPS_VALUE = /^ENC\[[A-Z0-9_]+,data:/;
function isPlainValue(value) {
  if (value === void 0 || value === null || value === "") return false;
  return !(typeof value === "string" && SOPS_VALUE.test(value));
}
var secretInManifest = {
  kind: "object",
  appliesTo: ["/Secret"],
  meta: {
    id: "secret-in-manifest",
    title: "Secret committed in plain text",
    severity: "high",
    description: "Secret `data` is only base64-encoded: anyone who can read the repository, its forks, clones, CI logs or history can read the credential, long after it is deleted from the file.",
    remediation: "Keep the value out of the repository (SealedSecret, External Secrets Operator, SOPS, or a secret store CSI driver) and rotate the credential that was committed.",
    messages: {
      data: 'The Secret commits a value for key "{{key}}" in data (base64 is an encoding, not encryption).',
      stringData: 'The Secret commits a value for key "{{key}}" in stringData in plain text.'
    }
  },
  fieldsRead: ["object.sops", "object.data", "object.stringData"],
  check: (resource) => {
    if (asObject(resource.object.sops)) return [];
    return ["data", "stringData"].flatMap(
      (field) => Object.entries(asObject(resource.object[field]) ?? {}).flatMap(
        ([key, value]) => isPlainValue(value) ? [{ messageId: field, data: { key }, path: [field, key] }] : []
      )
    );
  }
};

// src/rules/secrets/credential-patterns.ts
var ALNUM_BEFORE = "(?<![A-Za-z0-9])";
var ALNUM_AFTER = "(?![A-Za-z0-9])";
var WORD_BEFORE = "(?<![A-Za-z0-9_])";
var WORD_AFTER = "(?![A-Za-z0-9_])";
var DASHED_BEFORE = "(?<![A-Za-z0-9_-])";
var DASHED_AFTER = "(?![A-Za-z0-9_-])";
var re = (source) => new RegExp(source, "g");
var CREDENTIAL_PATTERNS = [
  {
    name: "AWS access key ID",
    pattern: re(`${ALNUM_BEFORE}(?:AKIA|ASIA)[A-Z0-9]{16}${ALNUM_AFTER}`),
    // AWS documentation's own example keys (AKIAIOSFODNN7EXAMPLE) fill tutorials and test manifests
    reject: (match) => match.endsWith("EXAMPLE")
  },
  { name: "GitHub token", pattern: re(`${WORD_BEFORE}gh[pousr]_[A-Za-z0-9]{36}${WORD_AFTER}`) },
  { name: "GitHub fine-grained personal access token", pattern: re(`${WORD_BEFORE}github_pat_[A-Za-z0-9_]{82}${WORD_AFTER}`) },
  { name: "GitLab personal access token", pattern: re(`${DASHED_BEFORE}glpat-[A-Za-z0-9_-]{20,}`) },
  { name: "Slack token", pattern: re(`${ALNUM_BEFORE}xox[baprs]-[0-9]{10,13}-[A-Za-z0-9-]{10,}`) },
  { name: "Slack webhook URL", pattern: re("hooks\\.slack\\.com/services/T[A-Z0-9]{6,}/B[A-Z0-9]{6,}/[A-Za-z0-9]{20,}") },
  {
    name: "PEM private key",
    pattern: re("-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----"),
    // a real key follows its header with base64 (after optional `Proc-Type:` style headers); a
    // header followed by a placeholder, or a header quoted in prose, is not a key
    reject: (_match, text, end) => !/[A-Za-z0-9+/]{40}/.test(text.slice(end, end + 512))
  },
  { name: "Google API key", pattern: re(`${DASHED_BEFORE}AIza[0-9A-Za-z_-]{35}${DASHED_AFTER}`) },
  { name: "Stripe live secret key", pattern: re(`${ALNUM_BEFORE}[sr]k_live_[0-9A-Za-z]{24,}`) },
  { name: "npm access token", pattern: re(`${WORD_BEFORE}npm_[A-Za-z0-9]{36}${WORD_AFTER}`) },
  { name: "PyPI API token", pattern: re(`${ALNUM_BEFORE}pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}`) },
  { name: "SendGrid API key", pattern: re(`${DASHED_BEFORE}SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}${DASHED_AFTER}`) },
  { name: "Azure storage account key", pattern: re("AccountKey=[A-Za-z0-9+/]{86}==") }
];
var ANY_PREFIX = /AKIA|ASIA|gh[pousr]_|github_pat_|glpat-|xox[baprs]-|hooks\.slack\.com|PRIVATE KEY|AIza|[sr]k_live_|npm_|pypi-|SG\.|AccountKey=/;
var SHORTEST = 20;
function mayHoldCredential(text) {
  return text.length >= SHORTEST && ANY_PREFIX.test(text);
}
function credentialsIn(text) {
  if (!mayHoldCredential(text)) return [];
  return CREDENTIAL_PATTERNS.filter(({ pattern, reject }) => {
    for (const match of text.matchAll(pattern)) {
      if (!reject || !reject(match[0], text, match.index + match[0].length)) return true;
    }
    return false;
  }).map((p) => p.name);
}

// src/rules/secrets/secret-pattern.ts
var MAX_DEPTH = 64;
var BASE64 = /^[A-Za-z0-9+/\r\n]+={0,2}\s*$/;
function decodedSecretValue(resource, path, value) {
  const { group, kind } = resource.identity;
  if (group !== "" || kind !== "Secret" || path.length !== 2 || path[0] !== "data") return null;
  if (!BASE64.test(value)) return null;
  return Buffer.from(value, "base64").toString("utf8");
}
function walk(resource, value, path, hits) {
  if (path.length > MAX_DEPTH || value === void 0 || value === null) return;
  if (typeof value === "string") {
    const decoded = decodedSecretValue(resource, path, value);
    if (decoded === null && !mayHoldCredential(value)) return;
    const types = new Set(credentialsIn(value));
    const decodedTypes = decoded === null ? [] : credentialsIn(decoded).filter((t) => !types.has(t));
    for (const type of decodedTypes) types.add(type);
    if (types.size > 0) hits.push({ path: namedPath(resource.object, path), types: [...types], decoded: decodedTypes.length > 0 });
    return;
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      path.push(index);
      walk(resource, value[index], path, hits);
      path.pop();
    }
    return;
  }
  if (typeof value === "object") {
    for (const key in value) {
      path.push(key);
      walk(resource, value[key], path, hits);
      path.pop();
    }
  }
}
function namedPath(root, path) {
  let current = root;
  return path.map((segment) => {
    current = childAt(current, segment);
    if (typeof segment === "string") return segment;
    const name = asString(asObject(current)?.name);
    return name !== void 0 && credentialsIn(name).length === 0 ? { index: segment, key: "name", value: name } : segment;
  });
}
function describePath(path) {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "string") out += /^[A-Za-z0-9_-]+$/.test(segment) ? out === "" ? segment : `.${segment}` : `[${JSON.stringify(segment)}]`;
    else if (typeof segment === "number") out += `[${segment}]`;
    else out += segment.key === null ? `[${segment.value}]` : `[${segment.key}=${segment.value}]`;
  }
  return out;
}
function listed(types) {
  return types.length <= 1 ? types[0] ?? "" : `${types.slice(0, -1).join(", ")} and ${types[types.length - 1]}`;
}
var secretPattern = {
  kind: "object",
  appliesTo: ["*"],
  meta: {
    id: "secret-pattern",
    title: "Credential in a manifest",
    severity: "critical",
    description: "A string has the exact format of a live credential (cloud access key, GitHub, GitLab or Slack token, private key, \u2026). Once pushed, it is readable by everyone with the repository and stays in its history, where automated scanners look for exactly these formats.",
    remediation: "Revoke and rotate the credential now, then load it from a Secret that is not committed (SealedSecret, External Secrets Operator, SOPS).",
    messages: {
      found: "Credential committed in {{field}}: {{types}}.",
      foundDecoded: "Credential committed in {{field}} (base64-encoded): {{types}}."
    }
  },
  fieldsRead: ["object"],
  check: (resource) => {
    const hits = [];
    walk(resource, resource.object, [], hits);
    return hits.map(
      (hit) => ({
        messageId: hit.decoded ? "foundDecoded" : "found",
        data: { types: listed(hit.types), field: describePath(hit.path) },
        path: hit.path
      })
    );
  }
};

// src/rules/secrets/index.ts
var SECRETS_RULES = [secretInManifest, secretPattern];

// src/rules/workload/image-reference.ts
var DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
var REFERENCE_CHARACTERS = /^[A-Za-z0-9._\-/:@[\]+=]+$/;
function parseImageReference(reference) {
  if (!REFERENCE_CHARACTERS.test(reference)) return null;
  const at = reference.indexOf("@");
  const named = at < 0 ? reference : reference.slice(0, at);
  const digest = at < 0 ? null : reference.slice(at + 1);
  const colon = named.lastIndexOf(":");
  const hasTag = colon > named.lastIndexOf("/");
  const tag = hasTag ? named.slice(colon + 1) : "";
  return {
    name: hasTag ? named.slice(0, colon) : named,
    tag: tag === "" ? null : tag,
    digest: digest !== null && DIGEST.test(digest) ? digest : null
  };
}
function pinningOf(reference) {
  if (reference.digest !== null) return "digest";
  if (reference.tag === null) return "untagged";
  return reference.tag === "latest" ? "latest" : "tag";
}
function containerImage(container) {
  const image = asString(container.spec.image);
  const reference = image === void 0 ? null : parseImageReference(image);
  if (image === void 0 || !reference) return void 0;
  return { image, reference, pinning: pinningOf(reference), path: [...container.path, "image"] };
}

// src/rules/workload/image-digest-unpinned.ts
var imageDigestUnpinned = {
  kind: "pod",
  meta: {
    id: "image-digest-unpinned",
    title: "Image pinned by tag only",
    severity: "info",
    description: "A tag is a movable name: whoever can push to the repository can point it at other content, and the next pull runs that content without a change to the manifest.",
    remediation: "Add the digest of the image you reviewed (`app:1.4.2@sha256:\u2026`); the tag stays as documentation and the digest decides what runs.",
    messages: {
      tagOnly: 'Container "{{container}}" runs image "{{image}}" by tag only, not by digest.'
    }
  },
  fieldsRead: ["container.image"],
  check: (pod) => pod.containers.flatMap((container) => {
    const found = containerImage(container);
    if (found?.pinning !== "tag") return [];
    return [
      {
        messageId: "tagOnly",
        data: { container: container.name, image: found.image },
        path: found.path,
        container: container.name
      }
    ];
  })
};

// src/rules/workload/image-tag-mutable.ts
var imageTagMutable = {
  kind: "pod",
  meta: {
    id: "image-tag-mutable",
    title: "Image without a tag or tagged latest",
    severity: "medium",
    description: "An image with no tag or the tag `latest` runs whatever the registry serves at pull time: two nodes can run different code, a rollback does not roll back, and a pushed image goes live unreviewed.",
    remediation: "Reference a specific, immutable release tag (`app:1.4.2`), or better a digest (`app@sha256:\u2026`), and update it through the pull request that ships it.",
    messages: {
      untagged: 'Container "{{container}}" runs image "{{image}}" without a tag, which pulls `latest`.',
      latest: 'Container "{{container}}" runs image "{{image}}" by the mutable tag `latest`.'
    }
  },
  fieldsRead: ["container.image"],
  check: (pod) => pod.containers.flatMap((container) => {
    const found = containerImage(container);
    if (!found || found.pinning !== "untagged" && found.pinning !== "latest") return [];
    return [
      {
        messageId: found.pinning,
        data: { container: container.name, image: found.image },
        path: found.path,
        container: container.name
      }
    ];
  })
};

// src/rules/workload/readonly-rootfs-missing.ts
var readonlyRootfsMissing = {
  kind: "pod",
  meta: {
    id: "readonly-rootfs-missing",
    title: "Writable root filesystem",
    severity: "low",
    description: "A writable root filesystem lets an intruder drop tools, replace binaries and persist for the life of the container; a read-only one turns those writes into errors.",
    remediation: "Set `securityContext.readOnlyRootFilesystem: true` and mount an `emptyDir` at each path the application really writes to (`/tmp`, caches).",
    messages: { writable: 'Container "{{container}}" can write to its root filesystem.' }
  },
  fieldsRead: ["pod.spec.os.name", "container.securityContext.readOnlyRootFilesystem"],
  check: (pod) => {
    if (isWindowsPod(pod)) return [];
    return pod.containers.flatMap((container) => {
      const securityContext = container.spec.securityContext;
      const context = asObject(securityContext);
      if (context?.readOnlyRootFilesystem === true) return [];
      const path = containerSecurityContextPath(container, "readOnlyRootFilesystem");
      const fixable = securityContext === void 0 || securityContext === null || context !== void 0;
      const fix2 = {
        safety: "review",
        description: "Make the root filesystem read-only; mount an emptyDir where the application writes.",
        edits: [{ op: "set", path, value: true }]
      };
      return [
        {
          messageId: "writable",
          data: { container: container.name },
          path,
          container: container.name,
          ...fixable ? { fix: fix2 } : {}
        }
      ];
    });
  }
};

// src/rules/workload/resource-limits-missing.ts
function quantity(value) {
  return typeof value === "string" || typeof value === "number" ? value : void 0;
}
function editable(value) {
  return value === void 0 || value === null || asObject(value) !== void 0;
}
var resourceLimitsMissing = {
  kind: "pod",
  meta: {
    id: "resource-limits-missing",
    title: "Container without a memory limit",
    severity: "low",
    description: "A container without a memory limit can use all of its node's memory: a leak or an attacker starves every other pod there until the kernel's OOM killer picks victims.",
    remediation: "Set `resources.limits.memory` to what the container needs at peak (often the same as `resources.requests.memory`), or set a pod-level `spec.resources.limits.memory`.",
    messages: { missing: 'Container "{{container}}" has no memory limit.' }
  },
  fieldsRead: ["pod.spec.resources.limits.memory", "container.resources"],
  check: (pod) => {
    if (quantity(getIn(pod.spec, ["resources", "limits", "memory"])) !== void 0) return [];
    return pod.containers.flatMap((container) => {
      if (container.list === "ephemeralContainers") return [];
      const resources = container.spec.resources;
      if (quantity(getIn(resources, ["limits", "memory"])) !== void 0) return [];
      const limitPath = [...container.path, "resources", "limits", "memory"];
      const request = quantity(getIn(resources, ["requests", "memory"]));
      const fix2 = request !== void 0 && editable(getIn(resources, ["limits"])) ? {
        safety: "review",
        description: `Set the memory limit to the memory request (${request}).`,
        edits: [{ op: "set", path: limitPath, value: request }]
      } : void 0;
      return [
        {
          messageId: "missing",
          data: { container: container.name },
          path: limitPath,
          container: container.name,
          ...fix2 ? { fix: fix2 } : {}
        }
      ];
    });
  }
};

// src/rules/workload/runtime-class-removed.ts
var DEFAULT_SANDBOX_RUNTIME_CLASSES = [
  "gvisor",
  "gvisor-*",
  "runsc",
  "runsc-*",
  "kata",
  "kata-*"
];
function isSandboxRuntimeClass(name, patterns = DEFAULT_SANDBOX_RUNTIME_CLASSES) {
  return patterns.some(
    (pattern) => pattern.endsWith("*") ? name.startsWith(pattern.slice(0, -1)) : name === pattern
  );
}
function runtimeClassRemovedRule(sandboxes = DEFAULT_SANDBOX_RUNTIME_CLASSES) {
  return {
    kind: "transition",
    meta: {
      id: "runtime-class-removed",
      title: "Workload leaves its sandbox runtime",
      severity: "high",
      description: "A sandbox runtime (gVisor, Kata Containers) puts a separate kernel between the pod and the node. Removing or replacing its RuntimeClass runs the same, usually untrusted, code directly on the shared host kernel.",
      remediation: "Keep `spec.runtimeClassName` set to the sandbox RuntimeClass; if the workload must leave the sandbox, get that reviewed as the security decision it is.",
      messages: {
        removed: 'The pod ran in the sandbox runtime "{{base}}" and now runs without a RuntimeClass.',
        changed: 'The pod ran in the sandbox runtime "{{base}}" and now runs in "{{head}}", which is not a sandbox.'
      }
    },
    appliesTo: ["*"],
    check: (change, context) => {
      if (!change.base || !change.head) return [];
      const basePod = context.podOf(change.base);
      const headPod = context.podOf(change.head);
      if (!basePod || !headPod) return [];
      const base = asString(basePod.spec.runtimeClassName);
      if (base === void 0 || !isSandboxRuntimeClass(base, sandboxes)) return [];
      const head = asString(headPod.spec.runtimeClassName) ?? "";
      if (isSandboxRuntimeClass(head, sandboxes)) return [];
      const path = [...headPod.specPath, "runtimeClassName"];
      return [
        {
          on: "head",
          messageId: head === "" ? "removed" : "changed",
          data: head === "" ? { base } : { base, head },
          path,
          fix: {
            safety: "review",
            description: `Run the pod in the "${base}" sandbox again.`,
            edits: [{ op: "set", path, value: base }]
          }
        }
      ];
    }
  };
}
var runtimeClassRemoved = runtimeClassRemovedRule();

// src/memo.ts
function memoized(compute, limit = 2048) {
  const results = /* @__PURE__ */ new Map();
  return (key) => {
    if (results.has(key)) return results.get(key);
    if (results.size >= limit) results.clear();
    const result = compute(key);
    results.set(key, result);
    return result;
  };
}

// src/rules/workload/secret-env-literal.ts
var CREDENTIAL_WORDS = [
  "PASSWORD",
  "PASSWD",
  "PASSPHRASE",
  "SECRET",
  "SECRETS",
  "TOKEN",
  "CREDENTIAL",
  "CREDENTIALS",
  "CREDS",
  "APIKEY",
  "PRIVATEKEY",
  "ACCESSKEY",
  "SECRETKEY"
];
var KEY_QUALIFIERS = /* @__PURE__ */ new Set(["API", "PRIVATE", "ACCESS", "SECRET", "ENCRYPTION", "SIGNING"]);
var TRAILING_CREDENTIAL_WORDS = /* @__PURE__ */ new Set(["AUTH", "AUTHORIZATION", "PASS", "PWD"]);
var METADATA_WORDS = /* @__PURE__ */ new Set([
  "FILE",
  "FILES",
  "FILENAME",
  "PATH",
  "DIR",
  "DIRECTORY",
  "LOCATION",
  "MOUNT",
  "URL",
  "URI",
  "ENDPOINT",
  "HOST",
  "PORT",
  "ARN",
  "REF",
  "NAME",
  "NAMESPACE",
  "TYPE",
  "KIND",
  "MODE",
  "PREFIX",
  "HEADER",
  "ALGORITHM",
  "FORMAT",
  "ENABLED",
  "ENABLE",
  "DISABLED",
  "DISABLE",
  "REQUIRED",
  "TTL",
  "TIMEOUT",
  "EXPIRY",
  "EXPIRATION",
  "EXPIRES",
  "LIFETIME",
  "INTERVAL",
  "LENGTH",
  "LEN",
  "SIZE",
  "LIMIT",
  "COUNT",
  "ISSUER",
  "AUDIENCE",
  "PROVIDER",
  "REGION",
  "VERSION",
  "POLICY"
]);
var BOUND_WORDS = /* @__PURE__ */ new Set(["MAX", "MIN", "NUM"]);
var SWITCH_VALUES = /* @__PURE__ */ new Set(["true", "false", "yes", "no", "on", "off", "y", "n", "0", "1", "enabled", "disabled"]);
function nameWords(name) {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2").split(/[^A-Za-z0-9]+/).filter((word) => word !== "").map((word) => word.toUpperCase());
}
var isCredentialName = memoized((name) => {
  const words = nameWords(name);
  const first = words[0];
  const last = words[words.length - 1];
  if (first === void 0 || last === void 0) return false;
  if (METADATA_WORDS.has(last) || BOUND_WORDS.has(first)) return false;
  if (words.some((word) => CREDENTIAL_WORDS.some((credential) => word.endsWith(credential)))) return true;
  if (words.some((word, i) => (word === "KEY" || word === "KEYS") && i > 0 && KEY_QUALIFIERS.has(words[i - 1] ?? ""))) return true;
  return TRAILING_CREDENTIAL_WORDS.has(last) && !(last === "PWD" && words.length === 1);
});
function isLiteralCredential(value) {
  const trimmed2 = value.trim();
  if (trimmed2 === "" || SWITCH_VALUES.has(trimmed2.toLowerCase())) return false;
  if (/\$\([A-Za-z_][\w.-]*\)|\$\{[^}]*\}|\{\{.*\}\}/.test(value)) return false;
  return !/^(\/[\w.@+-]+)+\/?$/.test(trimmed2);
}
var secretEnvLiteral = {
  kind: "pod",
  meta: {
    id: "secret-env-literal",
    title: "Credential in a literal environment variable",
    severity: "high",
    description: "A credential written into the manifest is in the repository, its history and every clone, and in plain text in the object anyone allowed to read the workload can see.",
    remediation: "Move the value into a Secret and read it with `valueFrom.secretKeyRef` (or mount the Secret as a file), then rotate the credential: it stays in the repository history.",
    messages: {
      literal: 'Container "{{container}}" sets {{name}} to a literal value; a credential belongs in a Secret.'
    }
  },
  fieldsRead: ["container.env"],
  check: (pod) => pod.containers.flatMap(
    (container) => asArray(container.spec.env).flatMap((item, index) => {
      const variable = asObject(item);
      const name = asString(variable?.name);
      const value = asString(variable?.value);
      if (name === void 0 || value === void 0) return [];
      if (!isCredentialName(name) || !isLiteralCredential(value)) return [];
      return [
        {
          messageId: "literal",
          data: { container: container.name, name },
          path: [...container.path, "env", itemRef(item, index, "name"), "value"],
          container: container.name
        }
      ];
    })
  )
};

// src/rules/workload/service-account-token-automount.ts
function serviceAccountOf(spec2) {
  const name = asString(spec2.serviceAccountName) || asString(spec2.serviceAccount);
  return name || "default";
}
var serviceAccountTokenAutomount = {
  kind: "pod",
  meta: {
    id: "service-account-token-automount",
    title: "Default service account token mounted",
    severity: "low",
    description: "A pod that names no service account runs as its namespace's `default` one and gets its API token mounted; anyone who takes over the pod holds that token, and whatever RBAC grants `default`, now or later.",
    remediation: "Set `automountServiceAccountToken: false` in the pod spec, or run the pod as a dedicated service account with only the permissions it needs.",
    messages: {
      defaultToken: "The pod mounts the API token of the namespace's default service account."
    }
  },
  fieldsRead: ["pod.spec.automountServiceAccountToken", "pod.spec.serviceAccountName", "pod.spec.serviceAccount"],
  check: (pod) => {
    if (pod.spec.automountServiceAccountToken === false) return [];
    if (serviceAccountOf(pod.spec) !== "default") return [];
    const path = [...pod.specPath, "automountServiceAccountToken"];
    return [
      {
        messageId: "defaultToken",
        path,
        fix: {
          safety: "review",
          description: "Do not mount a service account token into the pod.",
          edits: [{ op: "set", path, value: false }]
        }
      }
    ];
  }
};

// src/rules/workload/index.ts
var WORKLOAD_RULES = [
  secretEnvLiteral,
  runtimeClassRemoved,
  imageTagMutable,
  resourceLimitsMissing,
  readonlyRootfsMissing,
  serviceAccountTokenAutomount,
  imageDigestUnpinned
];

// src/rules/index.ts
var PSS_RULES = [
  // Pod Security Standards, baseline
  privileged,
  hostNamespaces,
  hostPorts,
  hostPathVolumes,
  capabilitiesBaseline,
  apparmorProfile,
  selinuxOptions,
  procMount,
  seccompProfileBaseline,
  sysctls,
  windowsHostProcess,
  hostProbesAndLifecycle,
  // Pod Security Standards, restricted (each reports only what its baseline counterpart does not)
  allowPrivilegeEscalation,
  capabilitiesRestricted,
  restrictedVolumes,
  runAsNonRoot,
  runAsUser,
  seccompProfileRestricted,
  procMountRestricted
];
var RULES = [
  ...PSS_RULES,
  ...WORKLOAD_RULES,
  ...NETWORK_RULES,
  ...RBAC_RULES,
  ...ADMISSION_RULES,
  ...SECRETS_RULES
];

// src/config/load.ts
var DEFAULT_CONFIG_PATH = ".github/kube-ratchet.yml";
var DEFAULT_CONFIG_PATHS = [DEFAULT_CONFIG_PATH, ".github/kube-ratchet.yaml"];
var RULE_IDS = /* @__PURE__ */ new Set([...RULES.map((r) => r.meta.id), SUPPRESSION_ADDED.id]);
var MAX_CONFIG_BYTES = 1024 * 1024;
var ConfigFileError = class extends Error {
  constructor(errors) {
    super(errors.map((e) => `${e.file}${e.line === null ? "" : `:${e.line}`}: ${e.message}`).join("\n"));
    this.errors = errors;
  }
  errors;
};
async function configFromRevision(source, paths = DEFAULT_CONFIG_PATHS) {
  const entries = await source.list();
  const entry2 = paths.flatMap((path) => entries.filter((e) => e.path === path && e.kind === "file"))[0];
  if (!entry2) return null;
  const [content] = await source.read([entry2], { maxFileBytes: MAX_CONFIG_BYTES });
  if (!content) return null;
  if (content.tooLarge !== void 0 || content.bytes.length > MAX_CONFIG_BYTES || (entry2.size ?? 0) > MAX_CONFIG_BYTES) {
    throw new ConfigFileError([{ file: entry2.path, line: null, message: "larger than 1 MB: not a configuration file" }]);
  }
  return checked(parseConfig(entry2.path, content.bytes.toString("utf8"), RULE_IDS));
}
async function configFromFile(path, shownAs = path) {
  let text;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new ConfigFileError([{ file: shownAs, line: null, message: "cannot read the configuration file" }]);
  }
  return checked(parseConfig(shownAs, text, RULE_IDS));
}
function checked(result) {
  if (!result.ok) throw new ConfigFileError(result.errors);
  return result.config;
}

// src/load/dir-source.ts
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync } from "node:fs";
import { join, relative, sep } from "node:path";

// src/load/source.ts
import { createHash } from "node:crypto";
function blobIdOf(bytes) {
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}
var GIT_MODE_KIND = {
  "100644": "file",
  "100755": "file",
  "120000": "symlink",
  "160000": "submodule"
};

// src/load/dir-source.ts
var SKIPPED_DIRS = /* @__PURE__ */ new Set([".git", "node_modules"]);
var DirectorySource = class {
  constructor(root, info, only = [""]) {
    this.root = root;
    this.info = info;
    this.only = only;
  }
  root;
  info;
  only;
  listing;
  /**
   * The files as they were when first listed: one run reads one snapshot, however many of its
   * parts (configuration, reading, rendering) ask for the list.
   */
  async list() {
    this.listing ??= this.walk();
    return [...this.listing];
  }
  // Synchronous, as reading is (see readWorkingFiles): a walk of thousands of entries.
  walk() {
    const entries = [];
    const toPath = (full) => relative(this.root, full).split(sep).join("/");
    const walk3 = (dir) => {
      for (const dirent of readdirSync(dir, { withFileTypes: true })) {
        const full = join(dir, dirent.name);
        const path = toPath(full);
        if (dirent.isSymbolicLink()) entries.push({ path, kind: "symlink", blobId: null });
        else if (dirent.isDirectory()) {
          if (!SKIPPED_DIRS.has(dirent.name)) walk3(full);
        } else if (dirent.isFile()) {
          const size = sizeOf(full);
          const unreadable = size === null && path.includes("\uFFFD");
          entries.push({ path, kind: "file", blobId: null, size, ...unreadable ? { unreadable: UNREADABLE_NAME } : {} });
        }
      }
    };
    for (const start of this.only) {
      const full = join(this.root, start);
      const info = lstatSync(full);
      if (info.isDirectory()) walk3(full);
      else if (info.isSymbolicLink()) entries.push({ path: toPath(full), kind: "symlink", blobId: null });
      else if (info.isFile()) entries.push({ path: toPath(full), kind: "file", blobId: null, size: info.size });
    }
    return entries.sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  }
  read(entries, options) {
    return readWorkingFiles(this.root, entries, options);
  }
};
var UNREADABLE_NAME = "file name is not valid UTF-8: not read";
function sizeOf(full) {
  try {
    const info = lstatSync(full);
    return info.isFile() ? info.size : null;
  } catch {
    return null;
  }
}
async function readWorkingFiles(root, entries, options = {}) {
  const contents = [];
  const limit = options.maxFileBytes ?? Number.POSITIVE_INFINITY;
  for (const entry2 of entries) {
    if (entry2.kind !== "file") continue;
    const content = readWorkingFile(join(root, entry2.path), entry2, limit);
    if (content) contents.push(content);
  }
  return contents;
}
function readWorkingFile(full, entry2, limit) {
  let fd;
  try {
    if (!lstatSync(full).isFile()) return null;
    fd = openSync(full, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch {
    return null;
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return null;
    const tooLarge = (size) => ({ path: entry2.path, blobId: entry2.blobId ?? `unread:${entry2.path}`, bytes: Buffer.alloc(0), tooLarge: size });
    if (info.size > limit) return tooLarge(info.size);
    const bytes = readUpTo(fd, Math.min(info.size, limit) + 1);
    if (bytes.length > limit) return tooLarge(bytes.length);
    return { path: entry2.path, blobId: entry2.blobId ?? blobIdOf(bytes), bytes };
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
function readUpTo(fd, max) {
  const buffer = Buffer.alloc(max);
  let filled = 0;
  while (filled < max) {
    const bytesRead = readSync(fd, buffer, filled, max - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

// src/load/resolve.ts
import { stat } from "node:fs/promises";
import { resolve } from "node:path";

// src/load/git.ts
import { spawn } from "node:child_process";
function git(repo, args, input) {
  return new Promise((resolve3, reject) => {
    const child = spawn(
      "git",
      ["-C", repo, "-c", "core.fsmonitor=false", "-c", "diff.external=", "--no-pager", ...args],
      { stdio: [input === void 0 ? "ignore" : "pipe", "pipe", "pipe"], env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_OPTIONAL_LOCKS: "0" } }
    );
    const out = [];
    const err = [];
    child.stdout?.on("data", (chunk) => out.push(chunk));
    child.stderr?.on("data", (chunk) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code2) => {
      if (code2 === 0) resolve3(Buffer.concat(out));
      else reject(new GitError(args, Buffer.concat(err).toString("utf8").trim(), code2));
    });
    if (child.stdin) {
      child.stdin.on("error", () => void 0);
      child.stdin.end(input);
    }
  });
}
var GitError = class extends Error {
  constructor(args, stderr, code2) {
    super(`git ${args[0] ?? ""} failed: ${stderr || `exit code ${String(code2)}`}`);
    this.args = args;
    this.stderr = stderr;
    this.code = code2;
  }
  args;
  stderr;
  code;
};
function splitNul(output) {
  const text = output.toString("utf8");
  const records = text.split("\0");
  if (records[records.length - 1] === "") records.pop();
  return records;
}
async function resolveCommit(repo, ref) {
  try {
    return (await git(repo, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`])).toString().trim();
  } catch {
    return null;
  }
}
async function isGitWorkTree(dir) {
  try {
    return (await git(dir, ["rev-parse", "--is-inside-work-tree"])).toString().trim() === "true";
  } catch {
    return false;
  }
}
async function repoRoot(dir) {
  return (await git(dir, ["rev-parse", "--show-toplevel"])).toString().trim();
}
async function mergeBase(repo, a, b) {
  try {
    return (await git(repo, ["merge-base", a, b])).toString().trim();
  } catch {
    return null;
  }
}

// src/load/git-source.ts
var GitCommitSource = class {
  constructor(repo, info) {
    this.repo = repo;
    this.info = info;
  }
  repo;
  info;
  async list() {
    const out = await git(this.repo, ["ls-tree", "-r", "-l", "-z", "--full-tree", this.info.sha]);
    const entries = [];
    for (const record of splitNul(out)) {
      const tab = record.indexOf("	");
      const [mode = "", , blobId = "", size = "-"] = record.slice(0, tab).split(/ +/);
      const kind = GIT_MODE_KIND[mode];
      if (kind) entries.push({ path: record.slice(tab + 1), kind, blobId, size: /^\d+$/.test(size) ? Number(size) : null });
    }
    return entries;
  }
  read(entries, options = {}) {
    return readBlobs(
      this.repo,
      entries.flatMap((e) => e.kind === "file" && e.blobId ? [{ path: e.path, blobId: e.blobId }] : []),
      options
    );
  }
};
async function readBlobs(repo, wanted, options = {}) {
  if (wanted.length === 0) return [];
  const limit = options.maxFileBytes;
  let small = wanted;
  const oversized = [];
  if (limit !== void 0) {
    const sizes = await blobSizes(repo, wanted.map((w) => w.blobId));
    small = wanted.filter((w) => (sizes.get(w.blobId) ?? 0) <= limit);
    for (const w of wanted) {
      const size = sizes.get(w.blobId);
      if (size !== void 0 && size > limit) oversized.push({ path: w.path, blobId: w.blobId, bytes: Buffer.alloc(0), tooLarge: size });
    }
  }
  if (small.length === 0) return oversized;
  const out = await git(repo, ["cat-file", "--batch"], small.map((w) => w.blobId).join("\n") + "\n");
  const contents = [];
  let offset = 0;
  for (const { path, blobId } of small) {
    const headerEnd = out.indexOf(10, offset);
    if (headerEnd < 0) break;
    const header = out.subarray(offset, headerEnd).toString("utf8");
    offset = headerEnd + 1;
    const [, type, size] = header.split(" ");
    if (type !== "blob" || size === void 0) continue;
    const length2 = Number(size);
    contents.push({ path, blobId, bytes: out.subarray(offset, offset + length2) });
    offset += length2 + 1;
  }
  return [...contents, ...oversized];
}
async function blobSizes(repo, ids) {
  const out = await git(repo, ["cat-file", "--batch-check"], ids.join("\n") + "\n");
  const sizes = /* @__PURE__ */ new Map();
  for (const line of out.toString("utf8").split("\n")) {
    const [id, type, size] = line.split(" ");
    if (id && type === "blob" && size !== void 0 && /^\d+$/.test(size)) sizes.set(id, Number(size));
  }
  return sizes;
}

// src/load/worktree-source.ts
import { lstat } from "node:fs/promises";
import { join as join2 } from "node:path";
var WorkTreeSource = class {
  constructor(repo, info) {
    this.repo = repo;
    this.info = info;
  }
  repo;
  info;
  get root() {
    return this.repo;
  }
  async list() {
    const [staged, dirty, untracked] = await Promise.all([
      git(this.repo, ["ls-files", "-s", "-z"]),
      git(this.repo, ["diff-files", "--name-only", "-z"]),
      git(this.repo, ["ls-files", "-o", "--exclude-standard", "-z"])
    ]);
    const edited = new Set(splitNul(dirty));
    const entries = [];
    const listed2 = /* @__PURE__ */ new Set();
    for (const record of splitNul(staged)) {
      const tab = record.indexOf("	");
      const [mode, blobId = null] = record.slice(0, tab).split(" ");
      const path = record.slice(tab + 1);
      if (listed2.has(path)) continue;
      listed2.add(path);
      const kind = mode === "120000" ? "symlink" : mode === "160000" ? "submodule" : "file";
      entries.push({ path, kind, blobId: edited.has(path) ? null : blobId });
    }
    for (const path of splitNul(untracked)) entries.push({ path, kind: "file", blobId: null });
    return Promise.all(
      entries.map(async (e) => {
        if (e.kind !== "file") return e;
        const info = await lstat(join2(this.repo, e.path)).catch(() => null);
        if (info?.isSymbolicLink()) return { ...e, kind: "symlink", blobId: null };
        if (!info && e.path.includes("\uFFFD")) return { ...e, size: null, unreadable: UNREADABLE_NAME };
        return { ...e, size: info?.isFile() ? info.size : null };
      })
    );
  }
  read(entries, options) {
    return readWorkingFiles(this.repo, entries, options);
  }
};

// src/load/resolve.ts
var RevisionError = class extends Error {
};
async function resolveRevisions(cwd, repoDir, baseArg, headArg) {
  const inGit = await isGitWorkTree(repoDir);
  const root = inGit ? await repoRoot(repoDir) : resolve(repoDir);
  const headCommit = inGit ? await resolveCommit(root, headArg ?? "HEAD") : null;
  const baseCommit = inGit ? await resolveCommit(root, baseArg) : null;
  let head;
  if (headArg === void 0) {
    head = inGit ? new WorkTreeSource(root, { ref: "working tree", sha: null }) : new DirectorySource(root, { ref: root, sha: null });
  } else if (headCommit) {
    head = new GitCommitSource(root, { ref: headArg, sha: headCommit });
  } else {
    head = await directory(cwd, headArg, "--head");
  }
  let base;
  if (baseCommit) {
    const since = headCommit ? await mergeBase(root, baseCommit, headCommit) ?? baseCommit : baseCommit;
    base = new GitCommitSource(root, { ref: baseArg, sha: since });
  } else {
    base = await directory(cwd, baseArg, "--base");
  }
  return { base, head };
}
async function directory(cwd, arg, option) {
  const dir = resolve(cwd, arg);
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) {
    throw new RevisionError(`${option} ${arg}: not a git ref of the repository, nor a directory`);
  }
  return new DirectorySource(dir, { ref: arg, sha: null });
}

// src/config/changes.ts
function weakeningChanges(base, head, rules) {
  const changes = [];
  const effective = (config, id) => config.rules[id] ?? rules.get(id)?.severity;
  for (const id of /* @__PURE__ */ new Set([...Object.keys(head.rules), ...Object.keys(base.rules)])) {
    const before = effective(base, id);
    const after = effective(head, id);
    if (before === void 0 || after === void 0 || before === "off") continue;
    if (after === "off") changes.push(`rule ${id} switched off`);
    else if (severityRank(after) < severityRank(before)) changes.push(`rule ${id} lowered from ${before} to ${after}`);
  }
  const known2 = new Set(base.ignore.map(ignoreKey));
  for (const entry2 of head.ignore) {
    if (!known2.has(ignoreKey(entry2))) changes.push(`suppression added: ${describeIgnore(entry2)}`);
  }
  const levelLowered = levelRank(head.level) < levelRank(base.level);
  if (levelLowered) changes.push(`Pod Security level lowered from ${base.level} to ${head.level}`);
  for (const namespace of /* @__PURE__ */ new Set([...Object.keys(head.namespaceLevels), ...Object.keys(base.namespaceLevels)])) {
    const before = base.namespaceLevels[namespace] ?? base.level;
    const after = head.namespaceLevels[namespace] ?? head.level;
    if (levelRank(after) >= levelRank(before)) continue;
    if (levelLowered && !(namespace in base.namespaceLevels) && !(namespace in head.namespaceLevels)) continue;
    changes.push(`Pod Security level of namespace ${namespace} lowered from ${before} to ${after}`);
  }
  if (failRank(head.failOn) < failRank(base.failOn)) changes.push(`fail-on raised from ${base.failOn} to ${head.failOn}`);
  if (base.mode === "all" && head.mode === "regressions") changes.push("mode changed from all to regressions");
  for (const glob of head.exclude) if (!base.exclude.includes(glob)) changes.push(`files excluded: ${glob}`);
  for (const glob of base.include) if (!head.include.includes(glob)) changes.push(`files no longer included: ${glob}`);
  for (const tool of head.compat) if (!base.compat.includes(tool)) changes.push(`${tool} suppression annotations now honoured`);
  for (const name of head.sandboxRuntimeClasses) {
    if (!base.sandboxRuntimeClasses.includes(name)) changes.push(`RuntimeClass ${name} now counts as a sandbox`);
  }
  const templateKey = (t) => `${t.apiVersion}/${t.kind}:${t.path.join(".")}`;
  const headTemplates = new Set(head.podTemplates.map(templateKey));
  for (const template of base.podTemplates) {
    if (!headTemplates.has(templateKey(template))) {
      changes.push(`pod template ${template.path.join(".")} of ${template.apiVersion} ${template.kind} no longer checked`);
    }
  }
  if (base.render.enabled && !head.render.enabled) changes.push("Kustomize overlays and Helm charts no longer rendered");
  return changes;
}
function ignoreKey(entry2) {
  const { line: _line, ...rest } = entry2;
  return JSON.stringify(rest);
}
function describeIgnore(entry2) {
  const rules = entry2.rules.length > 0 ? entry2.rules.join(", ") : "every rule";
  const where = [entry2.kind, entry2.namespace, entry2.name, entry2.container && `container ${entry2.container}`].filter(Boolean);
  return `${rules}${where.length > 0 ? ` for ${where.join(" ")}` : ""} ("${entry2.reason}")`;
}
function levelRank(level2) {
  return PSS_LEVELS.indexOf(level2);
}
function failRank(failOn) {
  return failOn === "none" ? 0 : SEVERITIES.length + 1 - severityRank(failOn);
}

// src/config/glob.ts
function globToRegExp(pattern) {
  let glob = pattern;
  let rooted = false;
  if (glob.startsWith("./")) {
    glob = glob.slice(2);
    rooted = true;
  } else if (glob.startsWith("/")) {
    glob = glob.slice(1);
    rooted = true;
  }
  const directory2 = glob.endsWith("/");
  if (directory2) glob = glob.replace(/\/+$/, "");
  const anchored2 = rooted || glob.includes("/");
  let source = translate(glob);
  if (directory2) source += "/.*";
  return new RegExp(`^${anchored2 ? source : `(?:.*/)?${source}`}$`);
}
function translate(glob) {
  let source = "";
  let i = 0;
  while (i < glob.length) {
    const c = glob[i];
    if (c === "*") {
      if (glob[i + 1] === "*") {
        let j = i + 2;
        while (glob[j] === "*") j++;
        if (glob[j] === "/") {
          source += "(?:.*/)?";
          i = j + 1;
        } else {
          source += ".*";
          i = j;
        }
        continue;
      }
      source += "[^/]*";
    } else if (c === "?") {
      source += "[^/]";
    } else if (c === "[") {
      const close = classEnd(glob, i);
      if (close < 0) source += "\\[";
      else {
        let body = glob.slice(i + 1, close);
        const negated = body.startsWith("!") || body.startsWith("^");
        if (negated) body = body.slice(1);
        source += `[${negated ? "^/" : ""}${body.replace(/[\\\]^]/g, (m, offset) => m === "^" && offset > 0 ? "^" : `\\${m}`)}]`;
        i = close + 1;
        continue;
      }
    } else if (c === "{") {
      const close = braceEnd(glob, i);
      if (close < 0) source += "\\{";
      else {
        source += `(?:${splitAlternatives(glob.slice(i + 1, close)).map(translate).join("|")})`;
        i = close + 1;
        continue;
      }
    } else if (c === "\\" && i + 1 < glob.length) {
      source += escape2(glob[i + 1]);
      i += 2;
      continue;
    } else source += escape2(c);
    i++;
  }
  return source;
}
function classEnd(glob, open) {
  let i = open + 1;
  if (glob[i] === "!" || glob[i] === "^") i++;
  if (glob[i] === "]") i++;
  for (; i < glob.length; i++) {
    if (glob[i] === "/") return -1;
    if (glob[i] === "]") return i;
  }
  return -1;
}
function braceEnd(glob, open) {
  let depth = 0;
  for (let i = open; i < glob.length; i++) {
    if (glob[i] === "\\") i++;
    else if (glob[i] === "{") depth++;
    else if (glob[i] === "}" && --depth === 0) return i;
  }
  return -1;
}
function splitAlternatives(body) {
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === "\\") i++;
    else if (c === "{") depth++;
    else if (c === "}") depth--;
    else if (c === "," && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts;
}
function escape2(text) {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
function pathFilter(include, exclude) {
  const inc = include.map(globToRegExp);
  const exc = exclude.map(globToRegExp);
  return (path) => inc.some((re2) => re2.test(path)) && !exc.some((re2) => re2.test(path));
}

// src/compare/compare.ts
function comparePairs(pairs) {
  const findings = [];
  const postures = [];
  for (const { base: before, head: after } of pairs) {
    findings.push(...compareFindings(before?.findings ?? [], after?.findings ?? []));
    const posture = postureChange(before, after);
    if (posture) postures.push(posture);
  }
  return { findings: sortFindings(findings), postures };
}
function compareFindings(base, head) {
  const remaining = /* @__PURE__ */ new Map();
  for (const finding of base) {
    const list2 = remaining.get(finding.fingerprint);
    if (list2) list2.push(finding);
    else remaining.set(finding.fingerprint, [finding]);
  }
  const out = [];
  for (const finding of head) {
    const match = remaining.get(finding.fingerprint)?.shift();
    out.push({ ...finding, status: match ? "unchanged" : "new" });
  }
  for (const list2 of remaining.values()) for (const finding of list2) out.push({ ...finding, status: "fixed" });
  return out;
}
function postureChange(before, after) {
  const basePosture = before?.posture ?? null;
  const headPosture = after?.posture ?? null;
  if (basePosture === null && headPosture === null) return null;
  if (before && after && sameJson(before.resource.object, after.resource.object)) return null;
  const shown2 = after ?? before;
  const { identity, apiVersion } = shown2.resource;
  const resource = { apiVersion, kind: identity.kind, namespace: identity.namespace, name: identity.name };
  return { resource, file: shown2.resource.file, base: basePosture, head: headPosture };
}
var STATUS_ORDER = { new: 0, fixed: 1, unchanged: 2 };
function sortFindings(findings) {
  return findings.sort(byStatusThenPlace);
}
function byStatusThenPlace(a, b) {
  return STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}

// src/compare/match.ts
function pairObjects(base, head) {
  const pairs = [];
  const unmatchedBase = /* @__PURE__ */ new Map();
  for (const object of base) push(unmatchedBase, identityKey(object.resource.identity), object);
  const unmatchedHead = [];
  for (const object of head) {
    const candidates = unmatchedBase.get(identityKey(object.resource.identity));
    const sameFile = candidates?.findIndex((b) => b.resource.file === object.resource.file) ?? -1;
    if (candidates && sameFile >= 0) pairs.push({ base: candidates.splice(sameFile, 1)[0], head: object });
    else unmatchedHead.push(object);
  }
  for (const object of unmatchedHead) {
    const moved = unmatchedBase.get(identityKey(object.resource.identity))?.shift();
    pairs.push({ base: moved, head: object });
  }
  for (const rest of unmatchedBase.values()) for (const object of rest) pairs.push({ base: object, head: void 0 });
  return pairs;
}
function push(map, key, value) {
  const list2 = map.get(key);
  if (list2) list2.push(value);
  else map.set(key, [value]);
}

// src/evaluate/options.ts
function evaluationOptions(config) {
  return { rules: configuredRules(config), podTemplates: podTemplateTable(config), compat: config.compat };
}
function configuredRules(config) {
  if (config.sandboxRuntimeClasses.length === 0) return RULES;
  const sandboxes = [...DEFAULT_SANDBOX_RUNTIME_CLASSES, ...config.sandboxRuntimeClasses];
  return RULES.map((rule) => rule.meta.id === runtimeClassRemoved.meta.id ? runtimeClassRemovedRule(sandboxes) : rule);
}
function podTemplateTable(config) {
  if (config.podTemplates.length === 0) return BUILTIN_POD_TEMPLATES;
  const table = new Map(BUILTIN_POD_TEMPLATES);
  for (const entry2 of config.podTemplates) {
    table.set(`${groupOf(entry2.apiVersion)}/${entry2.kind}`, entry2.path);
  }
  return table;
}

// src/evaluate/policy.ts
var LEVEL_RANK = { privileged: 0, baseline: 1, restricted: 2 };
var ENFORCE_LABEL = "pod-security.kubernetes.io/enforce";
function applyPolicy(objects, policy) {
  return objects.map((object) => ({
    ...object,
    findings: object.findings.flatMap((finding) => judge(finding, object.suppressions, policy) ?? [])
  }));
}
function judge(finding, suppressions, policy) {
  const override = policy.config.rules[finding.ruleId];
  if (override === "off" || !withinLevel(finding, policy)) return null;
  const severity = override ?? finding.severity;
  const suppressedBy = suppressionFor(finding, suppressions, policy);
  return { ...finding, severity, ...suppressedBy ? { suppressedBy } : {} };
}
function namespaceLevels(namespaces) {
  const levels = /* @__PURE__ */ new Map();
  for (const namespace of namespaces) {
    const label = asString(getIn(namespace.object, ["metadata", "labels", ENFORCE_LABEL]));
    if (label === void 0) continue;
    levels.set(namespace.identity.name, PSS_LEVELS.includes(label) ? label : "restricted");
  }
  return levels;
}
function policyWarnings(objects, policy) {
  const warnings = [];
  for (const object of objects) {
    for (const s of object.suppressions) {
      if (s.reason === null) {
        warnings.push({ file: s.file, line: s.line, message: `${s.key} has no reason, so it does not suppress anything: ${HOW_TO_WRITE[s.source]}` });
      }
      if (s.rules.length === 0) {
        warnings.push({ file: s.file, line: s.line, message: `${s.key} names no rule, so it does not suppress anything: ${HOW_TO_WRITE[s.source]}` });
      }
      for (const id of s.rules) {
        if (!policy.rules.has(id)) warnings.push({ file: s.file, line: s.line, message: `${s.key} names an unknown rule "${id}"` });
      }
    }
  }
  const file = policy.config.file ?? "(configuration)";
  for (const entry2 of policy.config.ignore) {
    if (entry2.reason === "") {
      warnings.push({ file, line: entry2.line, message: "ignore entry has an empty reason, so it does not suppress anything" });
    } else if (entry2.expires !== null && entry2.expires < policy.today) {
      warnings.push({ file, line: entry2.line, message: `ignore entry expired on ${entry2.expires} and no longer suppresses (${entry2.reason})` });
    }
  }
  return warnings;
}
var HOW_TO_WRITE = {
  annotation: 'write "<rule-id>[,<rule-id>\u2026]: <reason>"',
  "kube-linter": "write the reason as the annotation's value",
  checkov: 'write "<check-id>=<reason>"',
  polaris: 'set it to "true"'
};
function withinLevel(finding, policy) {
  const check2 = policy.rules.get(finding.ruleId)?.pss;
  if (!check2) return true;
  const namespace = finding.identity.namespace ?? "";
  const level2 = policy.config.namespaceLevels[namespace] ?? policy.namespaceLabels.get(namespace) ?? policy.config.level;
  return LEVEL_RANK[check2.level] <= LEVEL_RANK[level2];
}
function suppressionFor(finding, annotations, policy) {
  for (const s of annotations) {
    if (s.reason === null || !s.rules.includes(finding.ruleId)) continue;
    if (s.container !== null && s.container !== finding.container) continue;
    return { source: s.source, reason: s.reason, file: s.file, line: s.line };
  }
  const entry2 = policy.config.ignore.find((e) => ignoreMatches(e, finding, policy.today));
  if (!entry2) return void 0;
  return { source: "config", reason: entry2.reason, file: policy.config.file ?? "(configuration)", line: entry2.line };
}
function ignoreMatches(entry2, finding, today) {
  if (entry2.reason === "") return false;
  if (entry2.expires !== null && entry2.expires < today) return false;
  if (entry2.rules.length > 0 && !entry2.rules.includes(finding.ruleId)) return false;
  if (entry2.kind !== null && entry2.kind !== finding.identity.kind) return false;
  if (entry2.namespace !== null && entry2.namespace !== finding.identity.namespace) return false;
  if (entry2.container !== null && entry2.container !== finding.container) return false;
  return entry2.name === null || globToRegExp(entry2.name).test(finding.identity.name);
}

// src/evaluate/revision.ts
function evaluateRevision(revision, contents, cache, options, whileParsed) {
  const result = { objects: [], errors: [], skipped: [], files: 0 };
  for (const content of contents) {
    const cached = cache.get(content.blobId);
    let evaluation;
    if (cached) {
      evaluation = cached.file === content.path ? cached : placeAt(cached, content.path);
    } else {
      const parsed = parseManifestFile(content.path, content.bytes);
      if (parsed.kind === "skipped") {
        result.skipped.push({ revision, file: content.path, reason: parsed.reason });
        continue;
      }
      const evaluated = evaluateFile(content.path, parsed.yaml, options);
      evaluation = { objects: evaluated.objects, problems: [...parsed.problems, ...evaluated.problems] };
      whileParsed?.(parsed.yaml, evaluation);
      cache.set(content.blobId, { ...evaluation, file: content.path });
    }
    result.files++;
    result.objects.push(...evaluation.objects);
    for (const problem of evaluation.problems) result.errors.push({ revision, file: content.path, ...problem });
  }
  return result;
}
function placeAt(evaluation, file) {
  return {
    problems: evaluation.problems,
    objects: evaluation.objects.map((o) => ({
      ...o,
      resource: { ...o.resource, file },
      findings: o.findings.map((f) => ({ ...f, file })),
      suppressions: o.suppressions.map((s) => ({ ...s, file }))
    }))
  };
}
function resourcesMentioning(contents, kinds) {
  const names = [...new Set([...kinds].map((k) => k.slice(k.lastIndexOf("/") + 1)))];
  const resources = [];
  for (const content of contents) {
    if (!names.some((name) => content.bytes.includes(name))) continue;
    const parsed = parseManifestFile(content.path, content.bytes);
    if (parsed.kind !== "parsed") continue;
    for (const resource of extractResources(content.path, parsed.yaml).resources) {
      if (kinds.has(`${resource.identity.group}/${resource.identity.kind}`)) resources.push(resource);
    }
  }
  return resources;
}

// src/evaluate/revision-view.ts
function revisionView(resources) {
  const byKind = /* @__PURE__ */ new Map();
  for (const resource of resources) {
    const key = `${resource.identity.group}/${resource.identity.kind}`;
    const list2 = byKind.get(key);
    if (list2) list2.push(resource);
    else byKind.set(key, [resource]);
  }
  return { objectsOf: (kind) => byKind.get(kind) ?? [] };
}

// src/evaluate/transitions.ts
function evaluateTransitions(pairs, rules, context, files) {
  const findings = [];
  for (const pair of pairs) {
    const change = { base: pair.base?.resource, head: pair.head?.resource };
    for (const rule of rules) {
      const applies = [change.base, change.head].some(
        (r) => r && appliesTo(rule.appliesTo, r.identity.group, r.identity.kind)
      );
      if (!applies) continue;
      for (const violation of rule.check(change, context)) {
        const resource = change[violation.on];
        const yaml = resource && files[violation.on].parsed(resource.file);
        if (!resource || !yaml) continue;
        findings.push({ ...toFinding(rule.meta, violation, resource, yaml), status: "new" });
      }
    }
  }
  return findings;
}
function transitionRecheck(pairs, rules, context) {
  const byId = new Map(rules.map((rule) => [rule.meta.id, rule]));
  return (finding, edited) => {
    const rule = byId.get(finding.ruleId);
    if (!rule) return void 0;
    const key = identityKey(finding.identity);
    const pair = pairs.find((p) => p.head?.resource.file === finding.file && identityKey(p.head.resource.identity) === key);
    const head = edited.find((o) => identityKey(o.resource.identity) === key)?.resource;
    return rule.check({ base: pair?.base?.resource, head }, context).some((v) => violationFingerprint(finding.identity, rule.meta.id, v) === finding.fingerprint);
  };
}

// src/load/build/render.ts
import { availableParallelism } from "node:os";

// src/load/build/paths.ts
function dirOf(path) {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}
function baseOf(path) {
  return path.slice(path.lastIndexOf("/") + 1);
}
function joinRepo(dir, rel) {
  if (rel.startsWith("/") || rel.includes("\\") || rel.includes("\0")) return null;
  const parts = dir === "" ? [] : dir.split("/");
  for (const part of rel.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join("/");
}
function inDir(dir, name) {
  return dir === "" ? name : `${dir}/${name}`;
}
function isUnder(path, dir) {
  return dir === "" || path === dir || path.startsWith(`${dir}/`);
}
function shownDir(dir) {
  return dir === "" ? "." : dir;
}
function isRemoteRef(ref) {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) || /^git@/.test(ref) || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(ref) || ref.includes("?ref=") || ref.includes("//") && !ref.startsWith("//");
}

// src/load/build/helm.ts
function chartDirs(tree) {
  const dirs = [...tree.files].filter((f) => baseOf(f) === "Chart.yaml").map(dirOf);
  const all = new Set(dirs);
  return dirs.filter((dir) => {
    for (let parent = dirOf(dir); ; parent = dirOf(parent)) {
      if (all.has(parent) && isUnder(dir, inDir(parent, "charts"))) return false;
      if (parent === "") return true;
    }
  }).sort();
}
function chartPath(path) {
  return joinRepo("", path.trim());
}
function releasesOf(chartDir, settings) {
  const entries = settings.filter((s) => chartPath(s.path) === chartDir);
  const problems = [];
  const chartFile = inDir(chartDir, "Chart.yaml");
  const defaults = { path: chartDir, values: [], namespace: null, releaseName: null };
  const releases = (entries.length > 0 ? entries : [defaults]).map((entry2) => {
    const values = entry2.values.flatMap((v) => {
      const path = joinRepo(chartDir, v);
      if (path === null) problems.push(`values file ${v} is outside the repository`);
      return path === null ? [] : [path];
    });
    const shownValues = values.map((v) => chartDir !== "" && isUnder(v, chartDir) ? v.slice(chartDir.length + 1) : v);
    const details = [
      shownValues.length > 0 ? ` with ${shownValues.join(", ")}` : "",
      entry2.namespace ? ` in namespace ${entry2.namespace}` : "",
      entry2.releaseName ? ` as release ${entry2.releaseName}` : ""
    ].join("");
    return {
      chartDir,
      chartFile,
      releaseName: entry2.releaseName ?? releaseNameOf(chartDir),
      namespace: entry2.namespace,
      values,
      details,
      label: `${shownDir(chartDir)}${details}`
    };
  });
  return { releases, problems };
}
function releaseNameOf(chartDir) {
  const name = baseOf(chartDir).toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 53).replace(/-+$/, "");
  return name === "" ? "release" : name;
}
function templateArgs(release) {
  return [
    "template",
    release.releaseName,
    `./${release.chartDir}`,
    "--skip-tests",
    ...release.namespace ? ["--namespace", release.namespace] : [],
    ...release.values.flatMap((v) => ["-f", `./${v}`])
  ];
}

// src/load/build/kustomize.ts
var import_yaml5 = __toESM(require_dist(), 1);
var KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];
function isKustomizationFile(path) {
  return KUSTOMIZATION_FILES.includes(baseOf(path));
}
function treeIndex(paths) {
  const files = /* @__PURE__ */ new Set();
  const dirs = /* @__PURE__ */ new Set([""]);
  for (const path of paths) {
    files.add(path);
    for (let dir = dirOf(path); dir !== "" && !dirs.has(dir); dir = dirOf(dir)) dirs.add(dir);
  }
  return { files, dirs };
}
function kustomizationIn(dir, tree) {
  for (const name of KUSTOMIZATION_FILES) {
    const file = inDir(dir, name);
    if (tree.files.has(file)) return file;
  }
  return null;
}
var KustomizeGraph = class {
  constructor(tree, texts) {
    this.tree = tree;
    for (const [file, bytes] of texts) {
      const dir = dirOf(file);
      if (kustomizationIn(dir, tree) !== file) continue;
      this.byDir.set(dir, readKustomization(file, bytes.toString("utf8"), tree));
    }
  }
  tree;
  byDir = /* @__PURE__ */ new Map();
  /**
   * The kustomizations something deploys: every `Kustomization` that no other one lists as a base
   * or component. A base is built as part of each overlay that uses it, not on its own.
   */
  roots() {
    const used = /* @__PURE__ */ new Set();
    for (const k of this.byDir.values()) for (const dir of [...k.bases, ...k.components]) used.add(dir);
    return [...this.byDir.values()].filter((k) => !k.component && !used.has(k.dir)).sort((a, b) => a.file < b.file ? -1 : 1);
  }
  /** Every file a build of `dir` may read: its kustomization, what that references, and so on down. */
  inputs(dir) {
    const files = /* @__PURE__ */ new Set();
    this.walk(dir, /* @__PURE__ */ new Set(), (k) => {
      files.add(k.file);
      for (const f of [...k.resources, ...k.patches, ...k.data, ...k.extra]) files.add(f);
      for (const d of k.dirs) for (const f of this.tree.files) if (isUnder(f, d)) files.add(f);
    });
    return [...files].sort();
  }
  /** The plain resource files a build of `dir` emits (through its bases and components). */
  resourcesOf(dir) {
    const files = /* @__PURE__ */ new Set();
    this.walk(dir, /* @__PURE__ */ new Set(), (k) => {
      for (const f of k.resources) files.add(f);
    });
    return [...files];
  }
  /** The kustomization files a build of `dir` reads. */
  kustomizationsOf(dir) {
    const files = [];
    this.walk(dir, /* @__PURE__ */ new Set(), (k) => files.push(k.file));
    return files;
  }
  /** The remote references a build of `dir` meets: it cannot succeed offline. */
  remoteOf(dir) {
    const refs = [];
    this.walk(dir, /* @__PURE__ */ new Set(), (k) => refs.push(...k.remote));
    return refs;
  }
  /** Files some kustomization consumes as patches or data: never evaluated as manifests of their own. */
  partialFiles() {
    const resources = /* @__PURE__ */ new Set();
    const partial = /* @__PURE__ */ new Set();
    for (const k of this.byDir.values()) {
      for (const f of k.resources) resources.add(f);
      for (const f of [...k.patches, ...k.data]) partial.add(f);
    }
    for (const f of resources) partial.delete(f);
    return partial;
  }
  walk(dir, seen, visit2) {
    if (seen.has(dir)) return;
    seen.add(dir);
    const k = this.byDir.get(dir);
    if (!k) return;
    visit2(k);
    for (const next of [...k.bases, ...k.components]) this.walk(next, seen, visit2);
  }
};
function readKustomization(file, text, tree) {
  const dir = dirOf(file);
  const k = {
    file,
    dir,
    component: false,
    resources: [],
    bases: [],
    components: [],
    patches: [],
    patchRefs: [],
    data: [],
    dirs: [],
    extra: [],
    remote: []
  };
  let value;
  try {
    const doc = (0, import_yaml5.parseDocument)(text, KUBERNETES_YAML);
    if (doc.errors.length > 0) return k;
    value = doc.toJS(TO_JS);
  } catch {
    return k;
  }
  if (!isObject(value)) return k;
  k.component = value.kind === "Component";
  const resolve3 = (ref) => {
    if (typeof ref !== "string" || ref.trim() === "" || ref.includes("\n")) return null;
    const trimmed2 = ref.trim();
    if (isRemoteRef(trimmed2)) return { remote: trimmed2 };
    const path = joinRepo(dir, trimmed2);
    if (path === null) return null;
    if (tree.files.has(path)) return { file: path };
    if (path !== "" && tree.dirs.has(path)) return { dir: path };
    return null;
  };
  const addDir = (target, path) => {
    if (kustomizationIn(path, tree)) target.push(path);
    else k.dirs.push(path);
  };
  const known2 = /* @__PURE__ */ new Set();
  const take = (ref, role) => {
    known2.add(ref);
    const found = resolve3(ref);
    if (!found) return;
    if ("remote" in found) k.remote.push(found.remote);
    else if ("dir" in found) addDir(role === "component" ? k.components : role === "resource" ? k.bases : k.dirs, found.dir);
    else if (role === "resource") k.resources.push(found.file);
    else if (role === "patch") k.patches.push(found.file);
    else k.data.push(found.file);
  };
  for (const ref of [...list(value.resources), ...list(value.bases)]) take(ref, "resource");
  for (const ref of list(value.components)) take(ref, "component");
  list(value.patchesStrategicMerge).forEach((entry2, i) => {
    if (typeof entry2 !== "string") return;
    if (looksInline(entry2)) k.patchRefs.push({ file: null, inline: ["patchesStrategicMerge", i], target: null });
    else {
      take(entry2, "patch");
      const found = resolve3(entry2);
      if (found && "file" in found) k.patchRefs.push({ file: found.file, inline: null, target: null });
    }
  });
  for (const field of ["patches", "patchesJson6902"]) {
    list(value[field]).forEach((entry2, i) => {
      if (!isObject(entry2)) return;
      const target = isObject(entry2.target) ? { ...typeof entry2.target.kind === "string" ? { kind: entry2.target.kind } : {}, ...typeof entry2.target.name === "string" ? { name: entry2.target.name } : {} } : null;
      if (typeof entry2.path === "string") {
        take(entry2.path, "patch");
        const found = resolve3(entry2.path);
        if (found && "file" in found) k.patchRefs.push({ file: found.file, inline: null, target });
      }
      if (typeof entry2.patch === "string") k.patchRefs.push({ file: null, inline: [field, i, "patch"], target });
    });
  }
  for (const field of ["configMapGenerator", "secretGenerator"]) {
    for (const generator of list(value[field])) {
      if (!isObject(generator)) continue;
      for (const f of list(generator.files)) take(typeof f === "string" ? f.slice(f.indexOf("=") + 1) : f, "data");
      for (const f of list(generator.envs)) take(f, "data");
      take(generator.env, "data");
    }
  }
  for (const field of ["crds", "configurations", "generators", "transformers", "validators"]) {
    for (const ref of list(value[field])) take(ref, "data");
  }
  for (const replacement of list(value.replacements)) if (isObject(replacement)) take(replacement.path, "data");
  if (isObject(value.openapi)) take(value.openapi.path, "data");
  for (const s of strings2(value)) {
    if (known2.has(s)) continue;
    const found = resolve3(s);
    if (found && "file" in found && found.file !== file) k.extra.push(found.file);
  }
  return k;
}
function looksInline(entry2) {
  return entry2.includes("\n") || /^\s*(apiVersion|kind|metadata)\s*:/.test(entry2);
}
function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
function list(value) {
  return Array.isArray(value) ? value : [];
}
function strings2(value, out = []) {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings2(v, out);
  else if (isObject(value)) for (const v of Object.values(value)) strings2(v, out);
  return out;
}
var BUILD_METADATA = ["originAnnotations", "transformerAnnotations"];
function withBuildMetadata(text) {
  let doc;
  try {
    doc = (0, import_yaml5.parseDocument)(text, KUBERNETES_YAML);
  } catch {
    return text;
  }
  if (doc.errors.length > 0 || !(0, import_yaml5.isMap)(doc.contents)) return text;
  let current;
  try {
    current = doc.toJS(TO_JS).buildMetadata;
  } catch {
    return text;
  }
  const values = Array.isArray(current) ? current.filter((v) => typeof v === "string") : [];
  for (const wanted of BUILD_METADATA) if (!values.includes(wanted)) values.push(wanted);
  doc.set("buildMetadata", doc.createNode(values, { flow: true }));
  return doc.toString({ lineWidth: 0 });
}

// src/load/build/materialize.ts
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join as join3 } from "node:path";
async function materialize(files, rewrite = (f) => f.bytes) {
  const top = await mkdtemp(join3(tmpdir(), "kube-ratchet-render-"));
  const root = join3(top, "repo");
  const home = join3(top, "home");
  try {
    await mkdir(root, { mode: 448 });
    await mkdir(home, { mode: 448 });
    const byPath = new Map(files.map((f) => [f.path, f]));
    const safe = [...byPath.values()].filter((f) => f.path !== "" && joinRepo("", f.path) === f.path);
    const dirs = new Set(safe.map((f) => dirOf(f.path)).filter((d) => d !== ""));
    await Promise.all([...dirs].map((d) => mkdir(join3(root, d), { recursive: true, mode: 448 })));
    await Promise.all(safe.map((f) => writeFile(join3(root, f.path), rewrite(f), { mode: 384, flag: "wx" })));
  } catch (error) {
    await rm(top, { recursive: true, force: true });
    throw error;
  }
  return { root, home, remove: () => rm(top, { recursive: true, force: true }) };
}

// src/load/build/object-path.ts
var import_yaml6 = __toESM(require_dist(), 1);
function parseDisplayPath(path) {
  const steps = [];
  let i = 0;
  while (i < path.length) {
    const c = path[i];
    if (c === ".") {
      i++;
      continue;
    }
    if (c === "[") {
      if (path[i + 1] === '"') {
        let end2 = i + 2;
        while (end2 < path.length && !(path[end2] === '"' && path[end2 - 1] !== "\\")) end2++;
        try {
          steps.push({ kind: "key", key: JSON.parse(path.slice(i + 1, end2 + 1)) });
        } catch {
          return steps;
        }
        i = end2 + 2;
        continue;
      }
      const close = path.indexOf("]", i);
      if (close < 0) return steps;
      const inner = path.slice(i + 1, close);
      const named = /^([A-Za-z0-9_-]+)=(.*)$/.exec(inner);
      steps.push(named ? { kind: "item", key: named[1], value: named[2] } : { kind: "value", value: inner });
      i = close + 1;
      continue;
    }
    let end = i;
    while (end < path.length && path[end] !== "." && path[end] !== "[") end++;
    steps.push({ kind: "key", key: path.slice(i, end) });
    i = end;
  }
  return steps;
}
function keysOf(steps) {
  return steps.flatMap((s) => s.kind === "key" ? [s.key] : []);
}
function resolveSteps(root, steps) {
  const path = [];
  let current = root;
  for (const step2 of steps) {
    if (step2.kind === "key") {
      if (current === null || typeof current !== "object" || Array.isArray(current) || !Object.hasOwn(current, step2.key)) {
        return { path, value: void 0, complete: false };
      }
      path.push(step2.key);
      current = current[step2.key];
      continue;
    }
    if (!Array.isArray(current)) return { path, value: void 0, complete: false };
    const index = itemIndex(current, step2);
    if (index < 0) return { path, value: void 0, complete: false };
    path.push(index);
    current = current[index];
  }
  return { path, value: current, complete: true };
}
function itemIndex(list2, step2) {
  if (step2.kind === "item") {
    return list2.findIndex((item) => item !== null && typeof item === "object" && String(item[step2.key]) === step2.value);
  }
  const byValue = list2.findIndex((item) => (typeof item === "string" || typeof item === "number") && String(item) === step2.value);
  if (byValue >= 0 || !/^\d+$/.test(step2.value)) return byValue;
  const index = Number(step2.value);
  return index < list2.length ? index : -1;
}
function walkSteps(doc, root, steps) {
  let node = resolveAlias(doc, root);
  let start = root.range?.[0] ?? 0;
  for (let depth = 0; depth < steps.length; depth++) {
    const step2 = steps[depth];
    let next;
    let nextStart;
    if (step2.kind === "key") {
      if (!(0, import_yaml6.isMap)(node)) return { start, depth, exact: false, node };
      const pair = node.items.find((p) => (0, import_yaml6.isScalar)(p.key) && String(p.key.value) === step2.key);
      if (pair && isNode(pair.value)) {
        next = pair.value;
        nextStart = ((0, import_yaml6.isScalar)(pair.key) ? pair.key.range?.[0] : void 0) ?? pair.value.range?.[0];
      }
    } else if ((0, import_yaml6.isSeq)(node)) {
      const items = node.items.filter(isNode).map((n) => resolveAlias(doc, n));
      const index = yamlItemIndex(items, step2);
      next = index < 0 ? void 0 : items[index];
      nextStart = next?.range?.[0];
    }
    if (!next) return { start, depth, exact: false, node };
    node = resolveAlias(doc, next);
    start = nextStart ?? start;
  }
  return { start, depth: steps.length, exact: true, node };
}
function yamlItemIndex(items, step2) {
  if (step2.kind === "item") {
    return items.findIndex(
      (item) => (0, import_yaml6.isMap)(item) && item.items.some((p) => (0, import_yaml6.isScalar)(p.key) && String(p.key.value) === step2.key && (0, import_yaml6.isScalar)(p.value) && String(p.value.value) === step2.value)
    );
  }
  const byValue = items.findIndex((item) => (0, import_yaml6.isScalar)(item) && String(item.value) === step2.value);
  if (byValue >= 0 || !/^\d+$/.test(step2.value)) return byValue;
  const index = Number(step2.value);
  return index < items.length ? index : -1;
}
function walkConcrete(doc, root, path) {
  let node = resolveAlias(doc, root);
  let start = root.range?.[0] ?? 0;
  for (let depth = 0; depth < path.length; depth++) {
    const segment = path[depth];
    let next;
    let nextStart;
    if (typeof segment === "number") {
      if ((0, import_yaml6.isSeq)(node)) {
        const item = node.items[segment];
        if (isNode(item)) {
          next = item;
          nextStart = item.range?.[0];
        }
      }
    } else if ((0, import_yaml6.isMap)(node)) {
      const pair = node.items.find((p) => (0, import_yaml6.isScalar)(p.key) && String(p.key.value) === segment);
      if (pair && isNode(pair.value)) {
        next = pair.value;
        nextStart = ((0, import_yaml6.isScalar)(pair.key) ? pair.key.range?.[0] : void 0) ?? pair.value.range?.[0];
      }
    }
    if (!next) return { start, depth, exact: false, node };
    node = resolveAlias(doc, next);
    start = nextStart ?? start;
  }
  return { start, depth: path.length, exact: true, node };
}

// src/load/build/output.ts
var import_yaml7 = __toESM(require_dist(), 1);
var ORIGIN_ANNOTATION = "config.kubernetes.io/origin";
var TRANSFORMATIONS_ANNOTATION = "alpha.config.kubernetes.io/transformations";
function kustomizeOutput(text, rootDir) {
  const out = { docs: [], text: "", problems: [] };
  for (const doc of parseYamlDocuments(text)) {
    const object = renderedObject(doc, null, out);
    if (!object) continue;
    const annotations = annotationsOf(object);
    const origin = readOrigin(annotations?.[ORIGIN_ANNOTATION], rootDir);
    const transformations = readTransformations(annotations?.[TRANSFORMATIONS_ANNOTATION], rootDir);
    if (annotations) {
      delete annotations[ORIGIN_ANNOTATION];
      delete annotations[TRANSFORMATIONS_ANNOTATION];
      if (Object.keys(annotations).length === 0) delete object.metadata.annotations;
    }
    const by = (kinds) => [
      ...new Set(
        transformations.filter((t) => kinds.includes(t.kind)).map((t) => t.configuredIn).reverse()
      )
    ];
    out.docs.push({
      object,
      origin,
      patchedBy: by(["PatchTransformer", "PatchStrategicMergeTransformer", "PatchJson6902Transformer"]),
      imagesBy: by(["ImageTagTransformer"]),
      template: null
    });
  }
  out.text = serialise(out.docs);
  return out;
}
function renderedObject(doc, file, out) {
  if (doc.errors.length > 0) {
    out.problems.push({ file, message: `rendered YAML does not parse: ${doc.errors[0]?.message.split("\n")[0] ?? ""}` });
    return null;
  }
  const value = documentValue(doc);
  if (value instanceof Error) {
    out.problems.push({ file, message: `rendered YAML cannot be read: ${value.message}` });
    return null;
  }
  return asJsonObject(value) ?? null;
}
function helmOutput(text, chartDir, namespace) {
  const out = { docs: [], text: "", problems: [] };
  for (const chunk of text.split(/^---[ \t]*$/m)) {
    const source = /^# Source: (.+)$/m.exec(chunk)?.[1]?.trim() ?? null;
    const inChart = source === null ? null : source.slice(source.indexOf("/") + 1);
    const template = inChart === null || source?.indexOf("/") === -1 ? null : joinRepo(chartDir, inChart);
    const docs = parseYamlDocuments(chunk);
    for (const doc of docs) {
      const object = renderedObject(doc, template, out);
      if (!object) continue;
      if (namespace !== null) setNamespace(object, namespace);
      out.docs.push({ object, origin: null, patchedBy: [], imagesBy: [], template });
    }
  }
  out.text = serialise(out.docs);
  return out;
}
function setNamespace(object, namespace) {
  const metadata = asJsonObject(object.metadata);
  if (!metadata || typeof metadata.namespace === "string" || typeof object.apiVersion !== "string" || typeof object.kind !== "string") return;
  if (isClusterScoped(groupOf(object.apiVersion), object.kind)) return;
  metadata.namespace = namespace;
}
function serialise(docs) {
  return docs.map((d) => new import_yaml7.Document(d.object, KUBERNETES_YAML).toString({ lineWidth: 0 })).join("---\n");
}
function asJsonObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value : null;
}
function annotationsOf(object) {
  return asJsonObject(asJsonObject(object.metadata)?.annotations);
}
function readOrigin(value, rootDir) {
  if (typeof value !== "string") return null;
  const origin = asJsonObject(safeParse(value));
  if (!origin) return null;
  const repo = typeof origin.repo === "string" ? origin.repo : null;
  const path = typeof origin.path === "string" && repo === null ? joinRepo(rootDir, origin.path) : null;
  const configuredIn = typeof origin.configuredIn === "string" ? joinRepo(rootDir, origin.configuredIn) : null;
  const by = asJsonObject(origin.configuredBy);
  return { file: path, configuredIn, generator: typeof by?.kind === "string" ? by.kind : null, repo };
}
function readTransformations(value, rootDir) {
  if (typeof value !== "string") return [];
  const list2 = safeParse(value);
  if (!Array.isArray(list2)) return [];
  return list2.flatMap((entry2) => {
    const t = asJsonObject(entry2);
    const file = typeof t?.configuredIn === "string" ? joinRepo(rootDir, t.configuredIn) : null;
    const kind = asJsonObject(t?.configuredBy)?.kind;
    return file !== null && typeof kind === "string" ? [{ configuredIn: file, kind }] : [];
  });
}
function safeParse(text) {
  try {
    return (0, import_yaml7.parse)(text, KUBERNETES_YAML);
  } catch {
    return null;
  }
}

// src/load/build/place.ts
var import_yaml8 = __toESM(require_dist(), 1);
var SourceTexts = class {
  constructor(files) {
    this.files = files;
  }
  files;
  parsed = /* @__PURE__ */ new Map();
  leaves = /* @__PURE__ */ new Map();
  has(path) {
    return this.files.has(path);
  }
  blobId(path) {
    return this.files.get(path)?.blobId;
  }
  text(path) {
    const content = this.files.get(path);
    return content ? content.bytes.toString("utf8") : null;
  }
  yaml(path) {
    if (this.parsed.has(path)) return this.parsed.get(path) ?? null;
    const content = this.files.get(path);
    const outcome = content ? parseManifestFile(path, content.bytes) : null;
    const yaml = outcome?.kind === "parsed" ? outcome.yaml : null;
    this.parsed.set(path, yaml);
    return yaml;
  }
  /** A Helm values file's scalar leaves with their lines. */
  valuesLeaves(path) {
    if (this.leaves.has(path)) return this.leaves.get(path) ?? null;
    const yaml = this.yaml(path);
    const doc = yaml?.documents[0];
    const found = yaml && doc?.contents && doc.errors.length === 0 ? flatten(yaml, doc, doc.contents, []) : null;
    this.leaves.set(path, found);
    return found;
  }
};
function lineOf2(yaml, offset) {
  return yaml.lineCounter.linePos(offset).line;
}
function span(yaml, reach, lineOffset = 0) {
  const line = lineOf2(yaml, reach.start) + lineOffset;
  if (!reach.exact) return { line, endLine: line };
  const end = lastContentOffset(yaml.text, reach.start, reach.node.range?.[1] ?? reach.start);
  return { line, endLine: Math.max(line, lineOf2(yaml, end) + lineOffset) };
}
function placeKustomize(doc, steps, texts, graph, rootFile) {
  const resolved = resolveSteps(doc.object, steps);
  const kind = typeof doc.object.kind === "string" ? doc.object.kind : "";
  const name = nameOf(doc.object);
  const patches = [];
  for (const kustomizationFile of doc.patchedBy) {
    const k = graph.byDir.get(dirOf(kustomizationFile));
    if (!k || k.file !== kustomizationFile) continue;
    for (const ref of [...k.patchRefs].reverse()) {
      const found = placeInPatch(ref, k.file, texts, kind, name, steps, resolved);
      if (found) patches.push(found);
    }
  }
  const exactPatch = patches.find((c) => c.exact);
  if (exactPatch) return exactPatch;
  const image = placeImage(doc, steps, texts);
  if (image) return image;
  const origin = doc.origin?.file ? placeInFile(doc.origin.file, texts, kind, name, steps) : null;
  if (origin?.exact) return origin;
  if (origin) {
    const deeper = patches.filter((c) => c.depth > origin.depth).sort((a, b) => b.depth - a.depth)[0];
    return deeper ?? origin;
  }
  const deepest = patches.filter((c) => c.depth > 0).sort((a, b) => b.depth - a.depth)[0];
  if (deepest) return deepest;
  const generatedIn = doc.origin?.configuredIn;
  if (generatedIn && texts.has(generatedIn)) {
    const field = doc.origin?.generator ? GENERATOR_FIELDS[doc.origin.generator] : void 0;
    const yaml = texts.yaml(generatedIn);
    const root = yaml?.documents[0]?.contents;
    if (field && yaml && root && isNode(root)) {
      const reach = walkConcrete(yaml.documents[0], root, [field]);
      if (reach.exact) return { file: generatedIn, line: lineOf2(yaml, reach.start), endLine: lineOf2(yaml, reach.start) };
    }
    return { file: generatedIn, line: 1, endLine: 1 };
  }
  return { file: rootFile, line: 1, endLine: 1 };
}
var GENERATOR_FIELDS = { ConfigMapGenerator: "configMapGenerator", SecretGenerator: "secretGenerator" };
function nameOf(object) {
  const metadata = object.metadata;
  const name = metadata && typeof metadata === "object" && !Array.isArray(metadata) ? metadata.name : void 0;
  return typeof name === "string" ? name : "";
}
function sameName(written, rendered) {
  if (typeof written !== "string" || written === "") return true;
  if (written === rendered || rendered.includes(written)) return true;
  try {
    return new RegExp(`^(?:${written})$`).test(rendered);
  } catch {
    return false;
  }
}
function placeInFile(file, texts, kind, name, steps) {
  const yaml = texts.yaml(file);
  if (!yaml) return null;
  let best = null;
  for (const doc of yaml.documents) {
    if (doc.errors.length > 0 || !(0, import_yaml8.isMap)(doc.contents)) continue;
    const js = toJs(doc);
    if (!js || js.kind !== kind) continue;
    const written = nameOf(js);
    const score = written === name ? 1e6 : written !== "" && name.includes(written) ? written.length : -1;
    if (score >= 0 && (!best || score > best.score)) best = { doc, score };
  }
  if (!best?.doc.contents) return null;
  const reach = walkSteps(best.doc, best.doc.contents, steps);
  return { file, ...span(yaml, reach), depth: reach.depth, exact: reach.exact };
}
function placeInPatch(ref, kustomizationFile, texts, kind, name, steps, resolved) {
  if (ref.target?.kind && ref.target.kind !== kind) return null;
  if (ref.target?.name && !sameName(ref.target.name, name)) return null;
  const source = patchText(ref, kustomizationFile, texts);
  if (!source) return null;
  const { yaml, file, lineOffset } = source;
  let best = null;
  const consider = (c) => {
    if (!best || c.exact && !best.exact || c.exact === best.exact && c.depth > best.depth) best = c;
  };
  for (const doc of yaml.documents) {
    if (doc.errors.length > 0 || !doc.contents) continue;
    if ((0, import_yaml8.isSeq)(doc.contents)) {
      const ops = toJsValue(doc);
      if (!Array.isArray(ops)) continue;
      ops.forEach((entry2, index) => {
        const op = entry2 !== null && typeof entry2 === "object" && !Array.isArray(entry2) ? entry2 : null;
        if (!op || !["add", "replace"].includes(String(op.op)) || typeof op.path !== "string") return;
        const pointer = parsePointer(op.path);
        if (!pointerCovers(pointer, resolved.path)) return;
        const valueAt2 = walkConcrete(doc, doc.contents, [index, "value"]);
        if (!valueAt2.exact) return;
        const rest = resolved.path.slice(pointer.length);
        const inside2 = walkConcrete(doc, valueAt2.node, rest);
        const depth = pointer.length + inside2.depth;
        const exact = resolved.complete && inside2.exact && depth === steps.length;
        const reach2 = rest.length > 0 && inside2.depth > 0 ? inside2 : valueAt2;
        consider({ file, ...span(yaml, { ...reach2, exact }, lineOffset), depth, exact });
      });
      continue;
    }
    if (!(0, import_yaml8.isMap)(doc.contents)) continue;
    const js = toJs(doc);
    if (!js) continue;
    if (typeof js.kind === "string" && js.kind !== kind) continue;
    if (!sameName(nameOf(js), name)) continue;
    const reach = walkSteps(doc, doc.contents, steps);
    if (reach.depth === 0 && steps.length > 0) continue;
    consider({ file, ...span(yaml, reach, lineOffset), depth: reach.depth, exact: reach.exact });
  }
  return best;
}
function patchText(ref, kustomizationFile, texts) {
  if (ref.file) {
    const yaml = texts.yaml(ref.file);
    return yaml ? { yaml, file: ref.file, lineOffset: 0 } : null;
  }
  if (!ref.inline) return null;
  const outer = texts.yaml(kustomizationFile);
  const doc = outer?.documents[0];
  if (!outer || !doc?.contents) return null;
  const reach = walkConcrete(doc, doc.contents, ref.inline);
  if (!reach.exact || !(0, import_yaml8.isScalar)(reach.node) || typeof reach.node.value !== "string") return null;
  const block = reach.node.type === import_yaml8.Scalar.BLOCK_LITERAL || reach.node.type === import_yaml8.Scalar.BLOCK_FOLDED;
  if (!block) return null;
  const lineCounter = new import_yaml8.LineCounter();
  const text = reach.node.value;
  const documents = (0, import_yaml8.parseAllDocuments)(text, { ...KUBERNETES_YAML, lineCounter });
  const first = lineOf2(outer, reach.node.range?.[0] ?? 0);
  return { yaml: { text, lineCounter, documents: Array.isArray(documents) ? documents : [] }, file: kustomizationFile, lineOffset: first };
}
function parsePointer(pointer) {
  return pointer.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~")).map((s) => /^\d+$/.test(s) ? Number(s) : s);
}
function pointerCovers(pointer, path) {
  if (pointer.length === 0 || pointer.length > path.length) return false;
  return pointer.every((segment, i) => segment === path[i] || segment === "-" && typeof path[i] === "number");
}
function placeImage(doc, steps, texts) {
  const last = steps[steps.length - 1];
  if (doc.imagesBy.length === 0 || last?.kind !== "key" || last.key !== "image") return null;
  const rendered = resolveSteps(doc.object, steps).value;
  if (typeof rendered !== "string") return null;
  const imageName = rendered.replace(/@.*$/, "").replace(/:[^:/]*$/, "");
  for (const file of doc.imagesBy) {
    const yaml = texts.yaml(file);
    const root = yaml?.documents[0]?.contents;
    if (!yaml || !root) continue;
    const js = toJs(yaml.documents[0]);
    const images = Array.isArray(js?.images) ? js.images : [];
    const index = images.findIndex((entry3) => {
      if (!entry3 || typeof entry3 !== "object" || Array.isArray(entry3)) return false;
      return entry3.newName === imageName || entry3.name === imageName && entry3.newName === void 0;
    });
    if (index < 0) continue;
    const entry2 = images[index];
    const field = ["digest", "newTag", "newName"].find((f) => entry2[f] !== void 0);
    const reach = walkConcrete(yaml.documents[0], root, field ? ["images", index, field] : ["images", index]);
    return { file, ...span(yaml, reach), depth: steps.length, exact: true };
  }
  return null;
}
function toJsValue(doc) {
  try {
    return doc.toJS(TO_JS);
  } catch {
    return null;
  }
}
function toJs(doc) {
  const value = toJsValue(doc);
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value : null;
}
function flatten(yaml, doc, node, path, out = []) {
  if ((0, import_yaml8.isMap)(node)) {
    for (const pair of node.items) {
      if (!(0, import_yaml8.isScalar)(pair.key)) continue;
      const key = String(pair.key.value);
      if ((0, import_yaml8.isScalar)(pair.value)) out.push({ path: [...path, key], value: pair.value.value, line: lineOf2(yaml, pair.key.range?.[0] ?? 0) });
      else flatten(yaml, doc, pair.value, [...path, key], out);
    }
  } else if ((0, import_yaml8.isSeq)(node)) {
    node.items.forEach((item, index) => {
      if ((0, import_yaml8.isScalar)(item)) out.push({ path: [...path, index], value: item.value, line: lineOf2(yaml, item.range?.[0] ?? 0) });
      else flatten(yaml, doc, item, [...path, index], out);
    });
  }
  return out;
}
function suffixMatch(steps, leaf, rendered) {
  let i = steps.length - 1;
  let j = leaf.path.length - 1;
  let matched = 0;
  const last = steps[i];
  if (!last) return 0;
  if (last.kind === "value") {
    if (typeof leaf.path[j] !== "number" || String(leaf.value) !== last.value) return 0;
    i--;
    j--;
    matched++;
  } else if (last.kind === "key") {
    if (!sameScalar(leaf.value, rendered)) return 0;
  } else return 0;
  while (i >= 0 && j >= 0) {
    const step2 = steps[i];
    if (step2.kind !== "key" || leaf.path[j] !== step2.key) break;
    matched++;
    i--;
    j--;
  }
  return last.kind === "key" && matched === 0 ? 0 : matched;
}
function sameScalar(a, b) {
  if (a === null || b === null || typeof a === "object" || typeof b === "object" || a === void 0 || b === void 0) return a === b;
  return String(a) === String(b);
}
function placeHelm(doc, steps, sources) {
  const resolved = resolveSteps(doc.object, steps);
  const matches = [];
  if (resolved.complete) {
    for (const file of [...sources.values].reverse()) {
      const leaves = sources.texts.valuesLeaves(file);
      if (!leaves) continue;
      const unchangedFile = sources.other?.blobId(file) !== void 0 && sources.other.blobId(file) === sources.texts.blobId(file);
      const before = unchangedFile ? null : new Map((sources.other?.valuesLeaves(file) ?? []).map((l) => [JSON.stringify(l.path), l.value]));
      for (const leaf of leaves) {
        const score = suffixMatch(steps, leaf, resolved.value);
        if (score === 0) continue;
        const key = JSON.stringify(leaf.path);
        const changed2 = before !== null && (!before.has(key) || !sameScalar(before.get(key), leaf.value));
        matches.push({ file, leaf, score, changed: changed2 });
      }
    }
  }
  const byScore = (a, b) => b.score - a.score;
  const changed = matches.filter((m) => m.changed).sort(byScore)[0];
  if (changed) return { file: changed.file, line: changed.leaf.line, endLine: changed.leaf.line };
  const template = doc.template;
  const text = template ? sources.texts.text(template) : null;
  if (template && text !== null) {
    const line = templateLine(text, steps, "field") ?? valuesReferenceLine(text, matches.sort(byScore)[0]?.leaf.path ?? null) ?? templateLine(text, steps, "ancestor") ?? 1;
    return { file: template, line, endLine: line };
  }
  return { file: sources.chartFile, line: 1, endLine: 1 };
}
var KEY_LINE = /^(\s*)(?:-\s+)?["']?([A-Za-z0-9_.\/-]+)["']?\s*:(?:\s|$)/;
function templateLine(text, steps, what) {
  const lines = text.split("\n");
  const keys = keysOf(steps);
  for (let depth = what === "field" ? keys.length : keys.length - 1; depth >= 1; depth--) {
    const key = keys[depth - 1];
    const ancestors = keys.slice(0, depth - 1);
    let best = null;
    lines.forEach((text2, index) => {
      const match = KEY_LINE.exec(text2);
      if (!match || match[2] !== key) return;
      const score = ancestorScore(lines, index, ancestors);
      if (!best || score > best.score) best = { line: index + 1, score };
    });
    const found = best;
    if (found && (what === "field" || found.score === ancestors.length)) return found.line;
    if (what === "field") return null;
  }
  return null;
}
function keyIndent(line) {
  const match = /^(\s*)(-\s+)?/.exec(line);
  return (match?.[1]?.length ?? 0) + (match?.[2]?.length ?? 0);
}
function ancestorScore(lines, index, ancestors) {
  let wanted = ancestors.length - 1;
  let score = 0;
  const own = lines[index];
  const ownDash = /^(\s*)-\s/.exec(own);
  let current = ownDash ? (ownDash[1]?.length ?? 0) + 1 : keyIndent(own);
  for (let i = index - 1; i >= 0 && wanted >= 0 && current > 0; i--) {
    const line = lines[i];
    if (/^\s*(#|$)/.test(line) || /^\s*\{\{.*\}\}\s*$/.test(line)) continue;
    const dash = /^(\s*)-\s/.exec(line);
    const level2 = dash ? dash[1]?.length ?? 0 : /^\s*/.exec(line)?.[0].length ?? 0;
    if (level2 >= current) continue;
    current = dash ? level2 + 1 : level2;
    const match = KEY_LINE.exec(line);
    if (!match) continue;
    const at = ancestors.lastIndexOf(match[2], wanted);
    if (at >= 0) {
      score++;
      wanted = at - 1;
    }
  }
  return score;
}
function valuesReferenceLine(text, path) {
  if (!path) return null;
  const keys = path.filter((p) => typeof p === "string");
  const lines = text.split("\n");
  for (let n = keys.length; n >= 1; n--) {
    const reference = `.Values.${keys.slice(0, n).join(".")}`;
    const index = lines.findIndex((line) => {
      const at = line.indexOf(reference);
      return at >= 0 && !/[A-Za-z0-9_]/.test(line[at + reference.length] ?? "");
    });
    if (index >= 0) return index + 1;
  }
  return null;
}

// src/load/build/tools.ts
import { spawn as spawn2 } from "node:child_process";
import { accessSync, constants as constants2, statSync } from "node:fs";
import { mkdir as mkdir2 } from "node:fs/promises";
import { delimiter, join as join4 } from "node:path";
function onPath(name, env = process.env) {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join4(dir, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants2.X_OK);
      return candidate;
    } catch {
      continue;
    }
  }
  return null;
}
function findKustomize(env = process.env) {
  const explicit = env.KUBE_RATCHET_KUSTOMIZE;
  if (explicit) return { command: explicit, args: explicit.endsWith("kubectl") ? ["kustomize"] : ["build"], name: "kustomize" };
  const kustomize = onPath("kustomize", env);
  if (kustomize) return { command: kustomize, args: ["build"], name: "kustomize" };
  const kubectl = onPath("kubectl", env);
  return kubectl ? { command: kubectl, args: ["kustomize"], name: "kubectl kustomize" } : null;
}
function findHelm(env = process.env) {
  const helm = env.KUBE_RATCHET_HELM || onPath("helm", env);
  return helm ? { command: helm, args: [], name: "helm" } : null;
}
var MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
async function runTool(tool, args, options) {
  const home = options.home;
  await mkdir2(join4(home, "empty-path"), { recursive: true });
  const nowhere = "http://127.0.0.1:9";
  const env = {
    PATH: join4(home, "empty-path"),
    HOME: home,
    TMPDIR: home,
    LANG: "C",
    KUBECONFIG: join4(home, "no-kubeconfig"),
    HTTP_PROXY: nowhere,
    HTTPS_PROXY: nowhere,
    http_proxy: nowhere,
    https_proxy: nowhere,
    NO_PROXY: "",
    no_proxy: "",
    GIT_TERMINAL_PROMPT: "0",
    HELM_CACHE_HOME: join4(home, "helm-cache"),
    HELM_CONFIG_HOME: join4(home, "helm-config"),
    HELM_DATA_HOME: join4(home, "helm-data"),
    HELM_PLUGINS: join4(home, "empty-path"),
    HELM_REGISTRY_CONFIG: join4(home, "helm-config", "registry.json"),
    HELM_REPOSITORY_CONFIG: join4(home, "helm-config", "repositories.yaml"),
    HELM_REPOSITORY_CACHE: join4(home, "helm-cache", "repository")
  };
  return new Promise((resolve3) => {
    const child = spawn2(tool.command, [...tool.args, ...args], { cwd: options.cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const stdout = [];
    const stderr = [];
    let size = 0;
    let stopped = null;
    const stop = (reason) => {
      if (stopped) return;
      stopped = reason;
      try {
        if (child.pid !== void 0) process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    };
    const timer = setTimeout(() => stop(`timed out after ${Math.round(options.timeoutMs / 100) / 10} s`), options.timeoutMs);
    child.stdout.on("data", (chunk) => {
      size += chunk.length;
      if (size > MAX_OUTPUT_BYTES) stop(`stopped: more than ${MAX_OUTPUT_BYTES / 1024 / 1024} MB of output`);
      else stdout.push(chunk);
    });
    child.stderr.on("data", (chunk) => {
      if (stderr.reduce((n, b) => n + b.length, 0) < 64 * 1024) stderr.push(chunk);
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve3({ ok: false, message: `${tool.name} could not be run: ${error.message}` });
    });
    child.on("close", (code2) => {
      clearTimeout(timer);
      if (stopped) return resolve3({ ok: false, message: `${tool.name} ${stopped}` });
      if (code2 !== 0) return resolve3({ ok: false, message: `${tool.name} failed: ${toolMessage(Buffer.concat(stderr).toString("utf8"), options.cwd)}` });
      resolve3({ ok: true, stdout: Buffer.concat(stdout).toString("utf8") });
    });
  });
}
function toolMessage(stderr, cwd) {
  const lines = stderr.split("\n").map((l) => l.trim()).filter(Boolean);
  let text = (lines.length > 0 ? lines.join(" ") : "no message").replace(/^E\d{4} [\d:.]+\s+\d+ [\w.]+:\d+\] /, "").replace(/^"command failed" err=/, "").replace(/^Error: /, "");
  if (/^".*"$/.test(text)) {
    try {
      text = JSON.parse(text);
    } catch {
    }
  }
  text = text.replaceAll(`${cwd}/`, "").replaceAll(cwd, ".");
  return text.length > 600 ? `${text.slice(0, 600)}\u2026` : text;
}

// src/load/build/render.ts
async function renderRevisions(input) {
  const base = await sideOf("base", input.base, input.contents.base, input.contents.entries?.base ?? null);
  const head = await sideOf("head", input.head, input.contents.head, input.contents.entries?.head ?? null);
  const sides = [base, head];
  if (!input.options.enabled) {
    return {
      base: withoutPartials(base, "rendering is off"),
      head: withoutPartials(head, "rendering is off"),
      place: (f) => f,
      adopt: (_, objects) => [...objects],
      renders: { base: 0, head: 0 }
    };
  }
  for (const side of sides) findUnits(side, input);
  const configuredMissing = input.helm.head.filter((s) => {
    const path = chartPath(s.path);
    return path === null || !head.tree.files.has(inDir(path, "Chart.yaml"));
  });
  for (const s of configuredMissing) {
    head.errors.push({ revision: "head", file: input.configFile ?? s.path, line: null, message: `helm.charts: there is no chart (Chart.yaml) at ${s.path}` });
  }
  const build = { base: [], head: [] };
  if (input.scope === "changed") await Promise.all(sides.map((side) => learnIds(side, [...side.units.values()].flatMap((u) => u.inputs))));
  for (const [side, other] of [[base, head], [head, base]]) {
    for (const unit of side.units.values()) {
      const counterpart = other.units.get(unit.id);
      if (input.scope === "all" || !counterpart || signature(side, unit) !== signature(other, counterpart)) build[side.revision].push(unit);
    }
  }
  const tools = {
    kustomize: input.tools?.kustomize !== void 0 ? input.tools.kustomize : findKustomize(),
    helm: input.tools?.helm !== void 0 ? input.tools.helm : findHelm()
  };
  await Promise.all(sides.map((side) => runBuilds(side, build[side.revision], tools, input.options.timeoutMs)));
  for (const [side, other] of [[base, head], [head, base]]) {
    for (const [id, outcome] of side.outcomes) {
      const unit = side.units.get(id);
      if (!outcome.ok && side.revision === "base" && other.outcomes.get(id)?.ok === false) continue;
      if (!outcome.ok) {
        const remote = unit.tool === "kustomize" ? side.graph.remoteOf(unit.dir) : [];
        const why = remote.length > 0 ? `remote resources are never fetched (${remote.join(", ")}); ` : "";
        side.errors.push({ revision: side.revision, file: unit.errorFile, line: null, message: `${unit.tool === "helm" ? "Helm" : "Kustomize"} (${unit.label}): ${why}${outcome.message}` });
        continue;
      }
      for (const problem of outcome.output.problems) {
        side.errors.push({ revision: side.revision, file: problem.file ?? unit.errorFile, line: null, message: `${unit.label}: ${problem.message}` });
      }
    }
    for (const [id, outcome] of other.outcomes) if (!outcome.ok && side.outcomes.get(id)?.ok) side.outcomes.delete(id);
  }
  const owned = { base: ownedFiles(base), head: ownedFiles(head) };
  const extra = { base: [], head: [] };
  for (const [side, other] of [[base, head], [head, base]]) {
    const listed2 = new Set(other.contents.map((c) => c.path));
    const paths = [...side.outcomes.entries()].filter(([id, outcome]) => outcome.ok && !other.units.has(id) && side.units.get(id)?.tool === "kustomize").flatMap(([id]) => side.graph.resourcesOf(side.units.get(id).dir)).filter((p) => other.entries.has(p) && !listed2.has(p) && !owned[other.revision].has(p));
    await readInto(other, paths);
    extra[other.revision].push(...new Set(paths.flatMap((p) => other.read.get(p) ?? [])));
  }
  const placer = new Placer(base, head);
  return {
    base: renderedRevision(base, owned.base, extra.base),
    head: renderedRevision(head, owned.head, extra.head),
    place: (finding) => placer.place(finding),
    adopt: (revision, objects) => placer.adopt(revision === "base" ? base : head, objects),
    renders: { base: countOk(base), head: countOk(head) }
  };
}
async function sideOf(revision, source, contents, listed2) {
  const entries = listed2 ?? (source ? await source.list() : []);
  const files = entries.filter((e) => e.kind === "file");
  const tree = treeIndex(files.map((e) => e.path));
  const read = new Map(contents.map((c) => [c.path, c]));
  const side = {
    revision,
    source,
    contents,
    entries: new Map(files.map((e) => [e.path, e])),
    tree,
    graph: new KustomizeGraph(tree, /* @__PURE__ */ new Map()),
    units: /* @__PURE__ */ new Map(),
    read,
    texts: new SourceTexts(read),
    outcomes: /* @__PURE__ */ new Map(),
    errors: []
  };
  const kustomizations = files.filter((e) => isKustomizationFile(e.path) && kustomizationIn(dirOf(e.path), tree) === e.path).map((e) => e.path);
  await readInto(side, kustomizations);
  side.graph = new KustomizeGraph(tree, new Map(kustomizations.flatMap((p) => side.read.has(p) ? [[p, side.read.get(p).bytes]] : [])));
  return side;
}
async function readInto(side, paths) {
  if (!side.source) return;
  const wanted = [...new Set(paths)].filter((p) => !side.read.has(p)).flatMap((p) => side.entries.get(p) ?? []);
  if (wanted.length === 0) return;
  for (const content of await side.source.read(wanted)) side.read.set(content.path, content);
}
async function learnIds(side, paths) {
  await readInto(
    side,
    paths.filter((p) => side.entries.get(p)?.blobId === null)
  );
}
function blobOf(side, path) {
  return side.read.get(path)?.blobId ?? side.entries.get(path)?.blobId ?? "?";
}
function signature(side, unit) {
  return unit.inputs.map((p) => `${p}\0${blobOf(side, p)}`).join("\n");
}
function findUnits(side, input) {
  for (const root of side.graph.roots()) {
    if (!input.wanted(inDir(root.dir, "kustomization.yaml")) && !input.wanted(root.file)) continue;
    side.units.set(root.file, { id: root.file, tool: "kustomize", dir: root.dir, label: shownDir(root.dir), errorFile: root.file, inputs: side.graph.inputs(root.dir) });
  }
  for (const dir of chartDirs(side.tree)) {
    const chartFile = inDir(dir, "Chart.yaml");
    if (!input.wanted(chartFile)) continue;
    const { releases, problems } = releasesOf(dir, input.helm[side.revision]);
    if (side.revision === "head") for (const message of problems) side.errors.push({ revision: "head", file: input.configFile ?? chartFile, line: null, message: `helm.charts: ${message}` });
    const chartInputs = [...side.tree.files].filter((f) => isUnder(f, dir));
    for (const release of releases) {
      const id = releases.length === 1 ? chartFile : `${chartFile}${release.details || ` (${release.releaseName})`}`;
      const inputs = [.../* @__PURE__ */ new Set([...chartInputs, ...release.values])].sort();
      side.units.set(id, { id, tool: "helm", dir, label: release.label, errorFile: chartFile, inputs, release });
    }
  }
}
async function runBuilds(side, units, tools, timeoutMs) {
  if (units.length === 0) return;
  const runnable = units.filter((unit) => {
    const tool = unit.tool === "helm" ? tools.helm : tools.kustomize;
    if (!tool) {
      side.outcomes.set(unit.id, {
        ok: false,
        message: unit.tool === "helm" ? "helm was not found (PATH or $KUBE_RATCHET_HELM): the chart was not rendered" : "neither kustomize nor kubectl was found (PATH or $KUBE_RATCHET_KUSTOMIZE): the overlay was not built"
      });
    }
    return tool !== null;
  });
  if (runnable.length === 0) return;
  const needed = [...new Set(runnable.flatMap((u) => u.inputs))];
  await readInto(side, needed);
  const files = needed.flatMap((p) => side.read.get(p) ?? []);
  let tree;
  try {
    tree = await materialize(files, (f) => isKustomizationFile(f.path) ? Buffer.from(withBuildMetadata(f.bytes.toString("utf8"))) : f.bytes);
  } catch (error) {
    for (const unit of runnable) side.outcomes.set(unit.id, { ok: false, message: `could not write the files to build: ${error instanceof Error ? error.message : String(error)}` });
    return;
  }
  const materialized = tree;
  try {
    const queue = [...runnable];
    const worker = async () => {
      for (let unit = queue.shift(); unit; unit = queue.shift()) side.outcomes.set(unit.id, await buildOne(unit, tools, materialized.root, materialized.home, timeoutMs));
    };
    await Promise.all(Array.from({ length: Math.min(queue.length, Math.max(2, availableParallelism())) }, worker));
  } finally {
    await materialized.remove();
  }
}
async function buildOne(unit, tools, root, home, timeoutMs) {
  if (unit.tool === "kustomize") {
    const result2 = await runTool(tools.kustomize, [unit.dir === "" ? "." : unit.dir], { cwd: root, home, timeoutMs });
    return result2.ok ? { ok: true, output: kustomizeOutput(result2.stdout, unit.dir) } : { ok: false, message: result2.message };
  }
  const result = await runTool(tools.helm, templateArgs(unit.release), { cwd: root, home, timeoutMs });
  return result.ok ? { ok: true, output: helmOutput(result.stdout, unit.dir, unit.release.namespace) } : { ok: false, message: result.message };
}
function countOk(side) {
  return [...side.outcomes.values()].filter((o) => o.ok).length;
}
function withoutPartials(side, why) {
  const partial = side.graph.partialFiles();
  const skipped = [];
  const plain = side.contents.filter((c) => {
    if (!partial.has(c.path)) return true;
    skipped.push({ revision: side.revision, file: c.path, reason: `Kustomize patch or generator input: not a whole object; read only in a built overlay (${why})` });
    return false;
  });
  return { plain, outputs: [], consumed: 0, errors: side.errors, skipped };
}
function ownedFiles(side) {
  const owned = /* @__PURE__ */ new Set();
  for (const [id, outcome] of side.outcomes) {
    const unit = side.units.get(id);
    if (outcome.ok && unit.tool === "kustomize") for (const f of side.graph.resourcesOf(unit.dir)) owned.add(f);
  }
  return owned;
}
function renderedRevision(side, owned, extra) {
  const partial = side.graph.partialFiles();
  const rendered = /* @__PURE__ */ new Set();
  const outputs = [];
  for (const [id, outcome] of side.outcomes) {
    if (!outcome.ok) continue;
    const unit = side.units.get(id);
    if (unit.tool === "kustomize") for (const f of unit.inputs) rendered.add(f);
    if (outcome.output.docs.length === 0) continue;
    const bytes = Buffer.from(outcome.output.text);
    outputs.push({ path: id, blobId: blobIdOf(bytes), bytes });
  }
  const skipped = [];
  let consumed = 0;
  const plain = side.contents.filter((c) => {
    if (owned.has(c.path)) {
      consumed++;
      return false;
    }
    if (!partial.has(c.path)) return true;
    if (rendered.has(c.path)) consumed++;
    else skipped.push({ revision: side.revision, file: c.path, reason: "Kustomize patch or generator input: not a whole object, and no overlay that reads it was built" });
    return false;
  });
  return { plain: [...plain, ...extra], outputs, consumed, errors: side.errors, skipped };
}
var Placer = class {
  constructor(base, head) {
    this.base = base;
    this.head = head;
  }
  base;
  head;
  place(finding) {
    const order = finding.status === "fixed" ? [this.base, this.head] : [this.head, this.base];
    for (const side of order) {
      const found = this.docOf(side, finding.file, finding.documentIndex, finding.identity);
      if (!found) continue;
      const where = this.locate(side, found.unit, found.doc, parseDisplayPath(finding.path));
      return {
        ...finding,
        file: where.file,
        line: where.line,
        endLine: where.endLine,
        message: `${finding.message} (rendered by ${found.unit.tool === "helm" ? "Helm" : "Kustomize"} from ${found.unit.label})`,
        proposedFix: null
      };
    }
    return finding;
  }
  adopt(side, objects) {
    return objects.map((object) => {
      const found = this.docOf(side, object.resource.file, object.resource.documentIndex, object.resource.identity);
      if (!found || object.suppressions.length === 0) return object;
      return {
        ...object,
        suppressions: object.suppressions.map((s) => {
          const steps = s.path.map((p) => typeof p === "string" ? { kind: "key", key: p } : { kind: "value", value: String(typeof p === "number" ? p : p.index) });
          const where = this.locate(side, found.unit, found.doc, steps);
          return { ...s, file: where.file, line: where.line };
        })
      };
    });
  }
  docOf(side, file, documentIndex, identity) {
    const outcome = side.outcomes.get(file);
    const unit = side.units.get(file);
    if (!outcome?.ok || !unit) return null;
    const doc = outcome.output.docs[documentIndex];
    if (!doc) return null;
    const metadata = doc.object.metadata;
    const name = metadata && typeof metadata === "object" && !Array.isArray(metadata) ? metadata.name : void 0;
    if (doc.object.kind !== identity.kind || typeof name === "string" && name !== identity.name) return null;
    return { unit, doc };
  }
  locate(side, unit, doc, steps) {
    if (unit.tool === "kustomize") return placeKustomize(doc, steps, side.texts, side.graph, unit.errorFile);
    const other = side === this.base ? this.head : this.base;
    const counterpart = other.units.get(unit.id);
    return placeHelm(doc, steps, {
      texts: side.texts,
      other: counterpart ? other.texts : null,
      values: [inDir(unit.dir, "values.yaml"), ...unit.release.values],
      chartFile: unit.errorFile
    });
  }
};

// src/load/manifest-files.ts
var MANIFEST_EXTENSIONS = [".yaml", ".yml", ".json"];
function selectManifests(entries, wanted = () => true) {
  const chartDirs2 = new Set(
    entries.filter((e) => e.kind === "file" && basename(e.path) === "Chart.yaml").map((e) => dirname(e.path))
  );
  const manifests = [];
  const skipped = [];
  for (const entry2 of entries) {
    if (!MANIFEST_EXTENSIONS.some((ext) => entry2.path.toLowerCase().endsWith(ext)) || !wanted(entry2.path)) continue;
    if (entry2.kind === "symlink") skipped.push({ entry: entry2, reason: "symbolic link: never followed" });
    else if (entry2.kind === "submodule") skipped.push({ entry: entry2, reason: "git submodule: not read" });
    else if (entry2.unreadable) skipped.push({ entry: entry2, reason: entry2.unreadable });
    else if (insideChartTemplates(entry2.path, chartDirs2)) {
      skipped.push({ entry: entry2, reason: "Helm chart template: not plain YAML until rendered" });
    } else manifests.push(entry2);
  }
  return { manifests, skipped };
}
function insideChartTemplates(path, chartDirs2) {
  const parts = path.split("/");
  for (let i = parts.length - 2; i >= 0; i--) {
    if (parts[i] === "templates" && chartDirs2.has(parts.slice(0, i).join("/"))) return true;
  }
  return false;
}
function basename(path) {
  return path.slice(path.lastIndexOf("/") + 1);
}
function dirname(path) {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

// src/load/read-revisions.ts
async function readRevisions(input) {
  const [baseEntries, headEntries] = await Promise.all([input.base?.list() ?? [], input.head.list()]);
  const baseSelection = selectManifests(baseEntries, input.wanted);
  const headSelection = selectManifests(headEntries, input.wanted);
  const changed = input.scope === "changed";
  const baseWanted = changed ? differing(baseSelection.manifests, headSelection.manifests) : baseSelection.manifests;
  const headWanted = changed ? differing(headSelection.manifests, baseSelection.manifests) : headSelection.manifests;
  const limits = input.limits;
  const readOptions = limits ? { maxFileBytes: limits.maxFileBytes } : {};
  const budget = new Budget(limits);
  const overLimit = [];
  const [baseToRead, headToRead] = budget.select(baseWanted, headWanted, overLimit);
  const headUnreadable = () => /* @__PURE__ */ new Set([
    ...headSelection.skipped.filter((s) => s.entry.kind !== "file" || s.entry.unreadable).map((s) => s.entry.path),
    ...overLimit.filter((s) => s.revision === "head").map((s) => s.file)
  ]);
  const unreadable = changed ? headUnreadable() : /* @__PURE__ */ new Set();
  const [baseRead, headRead] = await Promise.all([
    input.base?.read(baseToRead.filter((e) => !unreadable.has(e.path)), readOptions) ?? [],
    input.head.read(headToRead, readOptions)
  ]);
  const head = budget.admit("head", headRead, overLimit);
  const base = budget.admit("base", baseRead, overLimit);
  const unchanged = [];
  if (changed) {
    unchanged.push(...dropIdentical(base, head));
    const unreadableNow = /* @__PURE__ */ new Set([...headUnreadable(), ...head.filter((c) => notTextReason(c.bytes) !== null).map((c) => c.path)]);
    const kept = base.filter((c) => !unreadableNow.has(c.path));
    base.splice(0, base.length, ...kept);
    if (input.withUnchanged) {
      const read = new Set(headWanted);
      const rest = budget.select([], headSelection.manifests.filter((e) => !read.has(e)), [])[1];
      unchanged.push(...budget.admit("head", await input.head.read(rest, readOptions), []));
    }
  }
  const [baseIds, headIds] = changed ? await Promise.all([unknownIds(input.base, baseSelection.skipped, readOptions), unknownIds(input.head, headSelection.skipped, readOptions)]) : [/* @__PURE__ */ new Map(), /* @__PURE__ */ new Map()];
  const skips = (revision, own, other) => {
    const inScope = changed ? new Set(differing(own.map((s) => s.entry), other)) : null;
    return own.filter((s) => !inScope || inScope.has(s.entry)).map(({ entry: entry2, reason }) => ({ revision, file: entry2.path, reason }));
  };
  const withIds = (skipped, ids) => skipped.map((s) => ({ ...s, entry: withId(s.entry, ids) }));
  return {
    base,
    head,
    unchanged,
    entries: { base: baseEntries, head: headEntries },
    skipped: [
      ...skips("base", withIds(baseSelection.skipped, baseIds), headEntries.map((e) => withId(e, headIds))),
      ...skips("head", withIds(headSelection.skipped, headIds), baseEntries.map((e) => withId(e, baseIds))),
      ...overLimit
    ]
  };
}
var Budget = class {
  constructor(limits) {
    this.limits = limits;
  }
  limits;
  used = 0;
  /** The entries of each side to read; the others are added to `skipped` with the reason. */
  select(base, head, skipped) {
    const limits = this.limits;
    if (!limits) return [[...base], [...head]];
    const paths = [...new Set([...base, ...head].map((e) => e.path))].sort();
    const bySide = { base: new Map(base.map((e) => [e.path, e])), head: new Map(head.map((e) => [e.path, e])) };
    const chosen = { base: [], head: [] };
    for (const path of paths) {
      const sides = ["base", "head"].flatMap((revision) => {
        const entry2 = bySide[revision].get(path);
        return entry2 ? [{ revision, entry: entry2 }] : [];
      });
      const small = sides.filter(({ revision, entry: entry2 }) => {
        if (entry2.size === void 0 || entry2.size === null || entry2.size <= limits.maxFileBytes) return true;
        skipped.push({ revision, file: path, reason: tooLargeReason(entry2.size, limits.maxFileBytes) });
        return false;
      });
      const cost = small.reduce((sum, { entry: entry2 }) => sum + (entry2.size ?? 0), 0);
      if (this.used + cost > limits.maxTotalBytes) {
        for (const { revision } of small) skipped.push({ revision, file: path, reason: budgetReason(limits.maxTotalBytes) });
        continue;
      }
      this.used += cost;
      for (const { revision, entry: entry2 } of small) chosen[revision].push(entry2);
    }
    return [chosen.base, chosen.head];
  }
  /** The contents read that stay within the limits: files found too large, or past the budget once read, are skipped. */
  admit(revision, contents, skipped) {
    const limits = this.limits;
    if (!limits) return [...contents];
    return contents.filter((content) => {
      if (content.tooLarge !== void 0 || content.bytes.length > limits.maxFileBytes) {
        skipped.push({ revision, file: content.path, reason: tooLargeReason(content.tooLarge ?? content.bytes.length, limits.maxFileBytes) });
        return false;
      }
      return true;
    });
  }
};
function tooLargeReason(size, limit) {
  return `${megabytes(size)}, over the ${megabytes(limit)} limit per file (limits.maxFileBytes): not read`;
}
function budgetReason(limit) {
  return `not read: the run reached its ${megabytes(limit)} input budget (limits.maxTotalBytes)`;
}
function megabytes(bytes) {
  if (bytes >= 1024 * 1024) return `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return `${bytes} bytes`;
}
async function unknownIds(source, skipped, options) {
  const unknown = skipped.map((s) => s.entry).filter((e) => e.kind === "file" && e.blobId === null);
  if (!source || unknown.length === 0) return /* @__PURE__ */ new Map();
  return new Map((await source.read(unknown, options)).flatMap((c) => c.tooLarge === void 0 ? [[c.path, c.blobId]] : []));
}
function withId(entry2, ids) {
  const id = entry2.blobId === null ? ids.get(entry2.path) : void 0;
  return id === void 0 ? entry2 : { ...entry2, blobId: id };
}
function differing(entries, other) {
  const otherIds = new Map(other.map((e) => [e.path, e.blobId]));
  return entries.filter((e) => e.blobId === null || otherIds.get(e.path) !== e.blobId);
}
function dropIdentical(base, head) {
  const baseIds = new Map(base.map((c) => [c.path, c.blobId]));
  const same = head.filter((c) => baseIds.get(c.path) === c.blobId);
  if (same.length === 0) return [];
  const paths = new Set(same.map((c) => c.path));
  for (const list2 of [base, head]) {
    const kept = list2.filter((c) => !paths.has(c.path));
    list2.splice(0, list2.length, ...kept);
  }
  return same;
}

// src/parallel.ts
import { availableParallelism as availableParallelism2 } from "node:os";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

// src/evaluate/fields-read.ts
var ANY_ITEM = "[]";
var POD_TEMPLATE_FIELDS = ["container.name"];
function rulesReading(rules, pod, changed) {
  const index = readIndex(rules, pod);
  const concerned = new Uint8Array(rules.length);
  const mark = (readers) => {
    for (const i of readers ?? []) concerned[i] = 1;
  };
  mark(index.undeclared);
  for (const field of changed) {
    const key = fieldKey(field);
    mark(index.readers.get(""));
    for (let end = key.indexOf("\0"); end >= 0; end = key.indexOf("\0", end + 1)) mark(index.readers.get(key.slice(0, end + 1)));
    for (let i = firstAtOrAfter(index.keys, key); i < index.keys.length && index.keys[i].startsWith(key); i++) {
      mark(index.readers.get(index.keys[i]));
    }
  }
  return rules.filter((_, i) => concerned[i] === 1);
}
var indexes = /* @__PURE__ */ new WeakMap();
function readIndex(rules, pod) {
  const podKey = pod ? pod.specPath.join("\0") : "";
  let byPod = indexes.get(rules);
  if (!byPod) indexes.set(rules, byPod = /* @__PURE__ */ new Map());
  let index = byPod.get(podKey);
  if (!index) {
    const built = { undeclared: [], readers: /* @__PURE__ */ new Map(), keys: [] };
    rules.forEach((rule, i) => {
      if (rule.kind === "transition") return;
      const fields = declaredFields(rule, pod);
      if (!fields) built.undeclared.push(i);
      for (const key of new Set((fields ?? []).map(fieldKey))) built.readers.set(key, [...built.readers.get(key) ?? [], i]);
    });
    built.keys = [...built.readers.keys()].sort();
    byPod.set(podKey, index = built);
  }
  return index;
}
function firstAtOrAfter(sorted2, key) {
  let low = 0;
  let high = sorted2.length;
  while (low < high) {
    const middle = low + high >>> 1;
    if (sorted2[middle] < key) low = middle + 1;
    else high = middle;
  }
  return low;
}
function declaredFields(rule, pod) {
  if (!rule.fieldsRead) return null;
  const patterns = rule.kind === "pod" ? [...POD_TEMPLATE_FIELDS, ...rule.fieldsRead] : rule.fieldsRead;
  return patterns.flatMap((pattern) => expand(pattern, pod));
}
function fieldKey(field) {
  let key = "";
  for (const segment of field) key += `${segment}\0`;
  return key;
}
function expand(pattern, pod) {
  const [scope = "", ...rest] = pattern.split(".");
  if (scope === "object") return [rest];
  if (!pod) return [];
  const spec2 = fieldPath(pod.specPath);
  if (scope === "container") return CONTAINER_LISTS.map((list2) => [...spec2, list2, ANY_ITEM, ...rest]);
  const [part, ...below] = rest;
  if (scope === "pod" && part === "spec") return [[...spec2, ...below]];
  if (scope === "pod" && part === "metadata") return [[...fieldPath(pod.metadataPath), ...below]];
  throw new Error(`field pattern "${pattern}" names no field: it starts with object, pod.spec, pod.metadata or container`);
}
function fieldPath(path) {
  return path.map((segment) => typeof segment === "string" ? segment : ANY_ITEM);
}
function changedFields(edits) {
  return edits.map((edit) => {
    const removesItem = edit.op === "delete" && typeof edit.path[edit.path.length - 1] !== "string";
    return fieldPath(removesItem ? edit.path.slice(0, -1) : edit.path);
  });
}

// src/render/fix/json-edit.ts
function applyEditsToJson(object, edits) {
  let result = object;
  for (const edit of edits) {
    result = copyAlong(result, edit.path);
    const next = applyOne(result, edit);
    if (next === void 0) return null;
    result = next;
  }
  return result;
}
function applyOne(root, edit) {
  const parentPath = edit.path.slice(0, -1);
  const last = edit.path[edit.path.length - 1];
  if (last === void 0) return void 0;
  const create = edit.op !== "delete";
  const parent = walk2(root, parentPath, create);
  if (parent === void 0) return edit.op === "delete" ? root : void 0;
  if (edit.op === "delete") {
    if (Array.isArray(parent)) {
      const index = indexOf(parent, last);
      if (index >= 0) parent.splice(index, 1);
    } else if (typeof last === "string" && isObject2(parent)) delete parent[last];
    return root;
  }
  if (typeof last !== "string" || !isObject2(parent)) {
    if (edit.op === "set" && Array.isArray(parent)) {
      const index = indexOf(parent, last);
      if (index < 0) return void 0;
      parent[index] = edit.value;
      return root;
    }
    return void 0;
  }
  if (edit.op === "set") parent[last] = edit.value;
  else {
    const list2 = parent[last];
    if (list2 === void 0 || list2 === null) parent[last] = [edit.value];
    else if (Array.isArray(list2)) list2.push(edit.value);
    else return void 0;
  }
  return root;
}
function copyAlong(root, path) {
  const copy = shallowCopy(root);
  let current = copy;
  for (const segment of path) {
    let next;
    if (Array.isArray(current)) {
      const index = indexOf(current, segment);
      if (index < 0) break;
      next = shallowCopy(current[index]);
      current[index] = next;
    } else if (isObject2(current) && typeof segment === "string" && current[segment] !== void 0) {
      next = shallowCopy(current[segment]);
      current[segment] = next;
    } else break;
    current = next;
  }
  return copy;
}
function shallowCopy(value) {
  if (Array.isArray(value)) return [...value];
  return isObject2(value) ? { ...value } : value;
}
function walk2(root, path, create) {
  let current = root;
  for (const segment of path) {
    if (Array.isArray(current)) {
      const index = indexOf(current, segment);
      current = index >= 0 ? current[index] : void 0;
    } else if (isObject2(current) && typeof segment === "string") {
      let next = current[segment];
      if ((next === void 0 || next === null) && create) {
        next = {};
        current[segment] = next;
      }
      current = next;
    } else return void 0;
    if (current === void 0) return void 0;
  }
  return current;
}
function indexOf(list2, segment) {
  if (typeof segment === "number") return segment < list2.length ? segment : -1;
  if (typeof segment === "string") return -1;
  return segment.index < list2.length ? segment.index : -1;
}
function isObject2(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

// src/render/fix/region.ts
var import_yaml9 = __toESM(require_dist(), 1);

// src/render/fix/lines.ts
function lineStartOf(text, offset) {
  return offset <= 0 ? 0 : text.lastIndexOf("\n", offset - 1) + 1;
}
function lineEndOf(text, offset) {
  const newline = text.indexOf("\n", offset);
  return newline < 0 ? text.length : newline + 1;
}
function columnOf(text, offset) {
  return offset - lineStartOf(text, offset);
}
function splitLines(text) {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

// src/render/fix/region.ts
function textMatches(original, edited, span2, finding, edits, expected) {
  const before = original.text;
  const { start: changeStart, end: changeEnd } = span2;
  const delta = edited.length - before.length;
  const doc = original.documents[finding.documentIndex];
  if (!doc?.contents) return false;
  const [first, ...others] = edits;
  if (first) {
    const full = [...finding.documentPath, ...others.reduce(commonPrefix, first.path)];
    const walk3 = walkPath(doc, doc.contents, full);
    const { steps } = walk3;
    const relative2 = (path) => path.slice(finding.documentPath.length);
    if (others.length === 0) {
      const quick = quickCheck(first, before, edited, walk3, span2, (path) => valueAt(expected, relative2(path)), full);
      if (quick !== void 0) return quick;
    }
    for (let depth = steps.length - 1; depth >= finding.documentPath.length; depth--) {
      const node = steps[depth].resolved;
      if (!((0, import_yaml9.isMap)(node) || (0, import_yaml9.isSeq)(node)) || !node.range) continue;
      const [start, , nodeEnd] = node.range;
      const lineBreak = before.indexOf("\n", nodeEnd - 1);
      const end = lineBreak >= 0 && before.slice(nodeEnd, lineBreak).trim() === "" ? lineBreak + 1 : nodeEnd;
      if (start > changeStart || changeEnd > end) continue;
      const parsed = parseRegion(edited.slice(start, end + delta), columnOf(before, start));
      if (parsed === void 0) continue;
      return sameJson(parsed, valueAt(expected, full.slice(finding.documentPath.length, depth)));
    }
  }
  const reread = parseDocumentAt(edited, finding.documentIndex);
  return reread !== void 0 && sameJson(valueAt(reread, finding.documentPath), expected);
}
function quickCheck(edit, before, edited, walk3, span2, expectedAt, full) {
  const last = walk3.steps[walk3.steps.length - 1];
  const delta = edited.length - before.length;
  if (edit.op === "set" && walk3.missing.length === 0 && (0, import_yaml9.isScalar)(last.node) && last.node.range) {
    const [start, end] = last.node.range;
    const token2 = edited.slice(start, end + delta);
    if (token2.includes("\n") || span2.start < start || span2.end > end) return void 0;
    const flow = last.parent?.flow === true;
    const value = parseStandalone(flow ? `[${token2}]` : `k: ${token2}`);
    const read2 = flow ? Array.isArray(value) ? value[0] : void 0 : asObject(value)?.k;
    return sameJson(read2, expectedAt(full));
  }
  const key = walk3.missing[0];
  const map = last.resolved;
  if (edit.op === "delete" || typeof key !== "string" || !(0, import_yaml9.isMap)(map) || map.flow || !map.range || delta <= 0) return void 0;
  const firstKey = map.items[0]?.key;
  if (!isNode(firstKey) || !firstKey.range) return void 0;
  const insertAt = lineEndOf(before, lastContentOffset(before, map.range[0], map.range[1]));
  if (span2.start !== insertAt || span2.end !== insertAt) return void 0;
  const indent = columnOf(before, firstKey.range[0]);
  const inserted = edited.slice(insertAt, insertAt + delta).split("\n");
  if (inserted.pop() !== "" || !inserted.every((line, i) => indentOf(line) === indent || i > 0 && indentOf(line) > indent)) {
    return void 0;
  }
  const next = nextContentLine(before, insertAt);
  if (next !== void 0 && !next.startsWith("---") && !next.startsWith("...") && indentOf(next) >= indent) return void 0;
  const read = parseStandalone(inserted.map((line) => line.slice(indent)).join("\n"));
  const path = full.slice(0, full.length - walk3.missing.length);
  return sameJson(read, { [key]: expectedAt([...path, key]) ?? null });
}
function nextContentLine(text, offset) {
  for (let start = offset, end = 0; start < text.length; start = end) {
    end = lineEndOf(text, start);
    const line = text.slice(start, end);
    const content = line.trim();
    if (content !== "" && !content.startsWith("#")) return line;
  }
  return void 0;
}
function indentOf(line) {
  return line.length - line.trimStart().length;
}
var parseStandalone = memoized(
  (text) => (
    // Cut out of a CRLF file, the last line keeps a bare CR: line breaks mean the same either way.
    documentJson((0, import_yaml9.parseDocument)(text.replace(/\r(?=\n|$)/g, ""), KUBERNETES_YAML))
  )
);
function documentJson(doc) {
  if (!doc || doc.errors.length > 0) return void 0;
  const value = documentValue(doc);
  return value instanceof Error ? void 0 : value;
}
function parseRegion(text, indent) {
  const lines = text.split("\n");
  const dedented = [lines[0] ?? ""];
  for (const line of lines.slice(1)) {
    const content = line.trim();
    if (content === "" || content.startsWith("#")) dedented.push(content);
    else if (indentOf(line) < indent) return void 0;
    else dedented.push(line.slice(indent));
  }
  return parseStandalone(dedented.join("\n"));
}
function parseDocumentAt(text, index) {
  const docs = (0, import_yaml9.parseAllDocuments)(text, KUBERNETES_YAML);
  return Array.isArray(docs) ? documentJson(docs[index]) : void 0;
}
function commonPrefix(path, edit) {
  let length2 = 0;
  while (length2 < path.length && length2 < edit.path.length && sameJson(path[length2], edit.path[length2])) length2++;
  return path.slice(0, length2);
}

// node_modules/diff/libesm/diff/base.js
var Diff = class {
  diff(oldStr, newStr, options = {}) {
    let callback;
    if (typeof options === "function") {
      callback = options;
      options = {};
    } else if ("callback" in options) {
      callback = options.callback;
    }
    const oldString = this.castInput(oldStr, options);
    const newString = this.castInput(newStr, options);
    const oldTokens = this.removeEmpty(this.tokenize(oldString, options));
    const newTokens = this.removeEmpty(this.tokenize(newString, options));
    return this.diffWithOptionsObj(oldTokens, newTokens, options, callback);
  }
  diffWithOptionsObj(oldTokens, newTokens, options, callback) {
    var _a;
    const done = (value) => {
      value = this.postProcess(value, options);
      if (callback) {
        setTimeout(function() {
          callback(value);
        }, 0);
        return void 0;
      } else {
        return value;
      }
    };
    const newLen = newTokens.length, oldLen = oldTokens.length;
    let editLength = 1;
    let maxEditLength = newLen + oldLen;
    if (options.maxEditLength != null) {
      maxEditLength = Math.min(maxEditLength, options.maxEditLength);
    }
    const maxExecutionTime = (_a = options.timeout) !== null && _a !== void 0 ? _a : Infinity;
    const abortAfterTimestamp = Date.now() + maxExecutionTime;
    const bestPath = [{ oldPos: -1, lastComponent: void 0 }];
    let newPos = this.extractCommon(bestPath[0], newTokens, oldTokens, 0, options);
    if (bestPath[0].oldPos + 1 >= oldLen && newPos + 1 >= newLen) {
      return done(this.buildValues(bestPath[0].lastComponent, newTokens, oldTokens));
    }
    let minDiagonalToConsider = -Infinity, maxDiagonalToConsider = Infinity;
    const execEditLength = () => {
      for (let diagonalPath = Math.max(minDiagonalToConsider, -editLength); diagonalPath <= Math.min(maxDiagonalToConsider, editLength); diagonalPath += 2) {
        let basePath;
        const removePath = bestPath[diagonalPath - 1], addPath = bestPath[diagonalPath + 1];
        if (removePath) {
          bestPath[diagonalPath - 1] = void 0;
        }
        let canAdd = false;
        if (addPath) {
          const addPathNewPos = addPath.oldPos - diagonalPath;
          canAdd = addPath && 0 <= addPathNewPos && addPathNewPos < newLen;
        }
        const canRemove = removePath && removePath.oldPos + 1 < oldLen;
        if (!canAdd && !canRemove) {
          bestPath[diagonalPath] = void 0;
          continue;
        }
        if (!canRemove || canAdd && removePath.oldPos < addPath.oldPos) {
          basePath = this.addToPath(addPath, true, false, 0, options);
        } else {
          basePath = this.addToPath(removePath, false, true, 1, options);
        }
        newPos = this.extractCommon(basePath, newTokens, oldTokens, diagonalPath, options);
        if (basePath.oldPos + 1 >= oldLen && newPos + 1 >= newLen) {
          return done(this.buildValues(basePath.lastComponent, newTokens, oldTokens)) || true;
        } else {
          bestPath[diagonalPath] = basePath;
          if (basePath.oldPos + 1 >= oldLen) {
            maxDiagonalToConsider = Math.min(maxDiagonalToConsider, diagonalPath - 1);
          }
          if (newPos + 1 >= newLen) {
            minDiagonalToConsider = Math.max(minDiagonalToConsider, diagonalPath + 1);
          }
        }
      }
      editLength++;
    };
    if (callback) {
      (function exec() {
        setTimeout(function() {
          if (editLength > maxEditLength || Date.now() > abortAfterTimestamp) {
            return callback(void 0);
          }
          if (!execEditLength()) {
            exec();
          }
        }, 0);
      })();
    } else {
      while (editLength <= maxEditLength && Date.now() <= abortAfterTimestamp) {
        const ret = execEditLength();
        if (ret) {
          return ret;
        }
      }
    }
  }
  addToPath(path, added, removed, oldPosInc, options) {
    const last = path.lastComponent;
    if (last && !options.oneChangePerToken && last.added === added && last.removed === removed) {
      return {
        oldPos: path.oldPos + oldPosInc,
        lastComponent: { count: last.count + 1, added, removed, previousComponent: last.previousComponent }
      };
    } else {
      return {
        oldPos: path.oldPos + oldPosInc,
        lastComponent: { count: 1, added, removed, previousComponent: last }
      };
    }
  }
  extractCommon(basePath, newTokens, oldTokens, diagonalPath, options) {
    const newLen = newTokens.length, oldLen = oldTokens.length;
    let oldPos = basePath.oldPos, newPos = oldPos - diagonalPath, commonCount = 0;
    while (newPos + 1 < newLen && oldPos + 1 < oldLen && this.equals(oldTokens[oldPos + 1], newTokens[newPos + 1], options)) {
      newPos++;
      oldPos++;
      commonCount++;
      if (options.oneChangePerToken) {
        basePath.lastComponent = { count: 1, previousComponent: basePath.lastComponent, added: false, removed: false };
      }
    }
    if (commonCount && !options.oneChangePerToken) {
      basePath.lastComponent = { count: commonCount, previousComponent: basePath.lastComponent, added: false, removed: false };
    }
    basePath.oldPos = oldPos;
    return newPos;
  }
  equals(left, right, options) {
    if (options.comparator) {
      return options.comparator(left, right);
    } else {
      return left === right || !!options.ignoreCase && left.toLowerCase() === right.toLowerCase();
    }
  }
  removeEmpty(array) {
    const ret = [];
    for (let i = 0; i < array.length; i++) {
      if (array[i]) {
        ret.push(array[i]);
      }
    }
    return ret;
  }
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  castInput(value, options) {
    return value;
  }
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  tokenize(value, options) {
    return Array.from(value);
  }
  join(chars) {
    return chars.join("");
  }
  postProcess(changeObjects, options) {
    return changeObjects;
  }
  get useLongestToken() {
    return false;
  }
  buildValues(lastComponent, newTokens, oldTokens) {
    const components = [];
    let nextComponent;
    while (lastComponent) {
      components.push(lastComponent);
      nextComponent = lastComponent.previousComponent;
      delete lastComponent.previousComponent;
      lastComponent = nextComponent;
    }
    components.reverse();
    const componentLen = components.length;
    let componentPos = 0, newPos = 0, oldPos = 0;
    for (; componentPos < componentLen; componentPos++) {
      const component = components[componentPos];
      if (!component.removed) {
        if (!component.added && this.useLongestToken) {
          let value = newTokens.slice(newPos, newPos + component.count);
          value = value.map(function(value2, i) {
            const oldValue = oldTokens[oldPos + i];
            return oldValue.length > value2.length ? oldValue : value2;
          });
          component.value = this.join(value);
        } else {
          component.value = this.join(newTokens.slice(newPos, newPos + component.count));
        }
        newPos += component.count;
        if (!component.added) {
          oldPos += component.count;
        }
      } else {
        component.value = this.join(oldTokens.slice(oldPos, oldPos + component.count));
        oldPos += component.count;
      }
    }
    return components;
  }
};

// node_modules/diff/libesm/diff/line.js
var LineDiff = class extends Diff {
  constructor() {
    super(...arguments);
    this.tokenize = tokenize;
  }
  equals(left, right, options) {
    if (options.ignoreWhitespace) {
      if (!options.newlineIsToken || !left.includes("\n")) {
        left = left.trim();
      }
      if (!options.newlineIsToken || !right.includes("\n")) {
        right = right.trim();
      }
    } else if (options.ignoreNewlineAtEof && !options.newlineIsToken) {
      if (left.endsWith("\n")) {
        left = left.slice(0, -1);
      }
      if (right.endsWith("\n")) {
        right = right.slice(0, -1);
      }
    }
    return super.equals(left, right, options);
  }
};
var lineDiff = new LineDiff();
function diffLines(oldStr, newStr, options) {
  return lineDiff.diff(oldStr, newStr, options);
}
function tokenize(value, options) {
  if (options.stripTrailingCr) {
    value = value.replace(/\r\n/g, "\n");
  }
  const retLines = [], linesAndNewlines = value.split(/(\n|\r\n)/);
  if (!linesAndNewlines[linesAndNewlines.length - 1]) {
    linesAndNewlines.pop();
  }
  for (let i = 0; i < linesAndNewlines.length; i++) {
    const line = linesAndNewlines[i];
    if (i % 2 && !options.newlineIsToken) {
      retLines[retLines.length - 1] += line;
    } else {
      retLines.push(line);
    }
  }
  return retLines;
}

// node_modules/diff/libesm/patch/create.js
function needsQuoting(s) {
  for (let i = 0; i < s.length; i++) {
    if (s[i] < " " || s[i] > "~" || s[i] === '"' || s[i] === "\\") {
      return true;
    }
  }
  return false;
}
function quoteFileNameIfNeeded(s) {
  if (!needsQuoting(s)) {
    return s;
  }
  let result = '"';
  const bytes = new TextEncoder().encode(s);
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b === 7) {
      result += "\\a";
    } else if (b === 8) {
      result += "\\b";
    } else if (b === 9) {
      result += "\\t";
    } else if (b === 10) {
      result += "\\n";
    } else if (b === 11) {
      result += "\\v";
    } else if (b === 12) {
      result += "\\f";
    } else if (b === 13) {
      result += "\\r";
    } else if (b === 34) {
      result += '\\"';
    } else if (b === 92) {
      result += "\\\\";
    } else if (b >= 32 && b <= 126) {
      result += String.fromCharCode(b);
    } else {
      result += "\\" + b.toString(8).padStart(3, "0");
    }
    i++;
  }
  result += '"';
  return result;
}
var INCLUDE_HEADERS = {
  includeIndex: true,
  includeUnderline: true,
  includeFileHeaders: true
};
var FILE_HEADERS_ONLY = {
  includeIndex: false,
  includeUnderline: false,
  includeFileHeaders: true
};
function structuredPatch(oldFileName, newFileName, oldStr, newStr, oldHeader, newHeader, options) {
  let optionsObj;
  if (!options) {
    optionsObj = {};
  } else if (typeof options === "function") {
    optionsObj = { callback: options };
  } else {
    optionsObj = options;
  }
  if (typeof optionsObj.context === "undefined") {
    optionsObj.context = 4;
  }
  const context = optionsObj.context;
  if (optionsObj.newlineIsToken) {
    throw new Error("newlineIsToken may not be used with patch-generation functions, only with diffing functions");
  }
  if (!optionsObj.callback) {
    return diffLinesResultToPatch(diffLines(oldStr, newStr, optionsObj));
  } else {
    const { callback } = optionsObj;
    diffLines(oldStr, newStr, Object.assign(Object.assign({}, optionsObj), { callback: (diff2) => {
      const patch = diffLinesResultToPatch(diff2);
      callback(patch);
    } }));
  }
  function diffLinesResultToPatch(diff2) {
    if (!diff2) {
      return;
    }
    diff2.push({ value: "", lines: [] });
    function contextLines(lines) {
      return lines.map(function(entry2) {
        return " " + entry2;
      });
    }
    const hunks2 = [];
    let oldRangeStart = 0, newRangeStart = 0, curRange = [], oldLine = 1, newLine = 1;
    for (let i = 0; i < diff2.length; i++) {
      const current = diff2[i], lines = current.lines || splitLines2(current.value);
      current.lines = lines;
      if (current.added || current.removed) {
        if (!oldRangeStart) {
          const prev = diff2[i - 1];
          oldRangeStart = oldLine;
          newRangeStart = newLine;
          if (prev) {
            curRange = context > 0 ? contextLines(prev.lines.slice(-context)) : [];
            oldRangeStart -= curRange.length;
            newRangeStart -= curRange.length;
          }
        }
        for (const line of lines) {
          curRange.push((current.added ? "+" : "-") + line);
        }
        if (current.added) {
          newLine += lines.length;
        } else {
          oldLine += lines.length;
        }
      } else {
        if (oldRangeStart) {
          if (lines.length <= context * 2 && i < diff2.length - 2) {
            for (const line of contextLines(lines)) {
              curRange.push(line);
            }
          } else {
            const contextSize = Math.min(lines.length, context);
            for (const line of contextLines(lines.slice(0, contextSize))) {
              curRange.push(line);
            }
            const hunk = {
              oldStart: oldRangeStart,
              oldLines: oldLine - oldRangeStart + contextSize,
              newStart: newRangeStart,
              newLines: newLine - newRangeStart + contextSize,
              lines: curRange
            };
            hunks2.push(hunk);
            oldRangeStart = 0;
            newRangeStart = 0;
            curRange = [];
          }
        }
        oldLine += lines.length;
        newLine += lines.length;
      }
    }
    for (const hunk of hunks2) {
      for (let i = 0; i < hunk.lines.length; i++) {
        if (hunk.lines[i].endsWith("\n")) {
          hunk.lines[i] = hunk.lines[i].slice(0, -1);
        } else {
          hunk.lines.splice(i + 1, 0, "\\ No newline at end of file");
          i++;
        }
      }
    }
    return {
      oldFileName,
      newFileName,
      oldHeader,
      newHeader,
      hunks: hunks2
    };
  }
}
function formatPatch(patch, headerOptions) {
  var _a, _b, _c, _d, _e, _f;
  if (!headerOptions) {
    headerOptions = INCLUDE_HEADERS;
  }
  if (Array.isArray(patch)) {
    if (patch.length > 1 && !headerOptions.includeFileHeaders && !patch.every((p) => p.isGit)) {
      throw new Error("Cannot omit file headers on a multi-file patch. (The result would be unparseable; how would a tool trying to apply the patch know which changes are to which file?)");
    }
    return patch.map((p) => formatPatch(p, headerOptions)).join("\n");
  }
  const ret = [];
  if (patch.isGit) {
    headerOptions = INCLUDE_HEADERS;
    if (!patch.oldFileName) {
      throw new Error("oldFileName must be specified for Git patches");
    }
    if (!patch.newFileName) {
      throw new Error("newFileName must be specified for Git patches");
    }
    let gitOldName = patch.oldFileName;
    let gitNewName = patch.newFileName;
    if (patch.isCreate && gitOldName === "/dev/null") {
      gitOldName = gitNewName.replace(/^b\//, "a/");
    } else if (patch.isDelete && gitNewName === "/dev/null") {
      gitNewName = gitOldName.replace(/^a\//, "b/");
    }
    ret.push("diff --git " + quoteFileNameIfNeeded(gitOldName) + " " + quoteFileNameIfNeeded(gitNewName));
    if (patch.isDelete) {
      ret.push("deleted file mode " + ((_a = patch.oldMode) !== null && _a !== void 0 ? _a : "100644"));
    }
    if (patch.isCreate) {
      ret.push("new file mode " + ((_b = patch.newMode) !== null && _b !== void 0 ? _b : "100644"));
    }
    if (patch.oldMode && patch.newMode && !patch.isDelete && !patch.isCreate) {
      ret.push("old mode " + patch.oldMode);
      ret.push("new mode " + patch.newMode);
    }
    if (patch.isRename) {
      ret.push("rename from " + quoteFileNameIfNeeded(((_c = patch.oldFileName) !== null && _c !== void 0 ? _c : "").replace(/^a\//, "")));
      ret.push("rename to " + quoteFileNameIfNeeded(((_d = patch.newFileName) !== null && _d !== void 0 ? _d : "").replace(/^b\//, "")));
    }
    if (patch.isCopy) {
      ret.push("copy from " + quoteFileNameIfNeeded(((_e = patch.oldFileName) !== null && _e !== void 0 ? _e : "").replace(/^a\//, "")));
      ret.push("copy to " + quoteFileNameIfNeeded(((_f = patch.newFileName) !== null && _f !== void 0 ? _f : "").replace(/^b\//, "")));
    }
  } else {
    if (headerOptions.includeIndex && patch.oldFileName == patch.newFileName && patch.oldFileName !== void 0) {
      ret.push("Index: " + patch.oldFileName);
    }
    if (headerOptions.includeUnderline) {
      ret.push("===================================================================");
    }
  }
  const hasHunks = patch.hunks.length > 0;
  if (headerOptions.includeFileHeaders && patch.oldFileName !== void 0 && patch.newFileName !== void 0 && (!patch.isGit || hasHunks)) {
    ret.push("--- " + quoteFileNameIfNeeded(patch.oldFileName) + (patch.oldHeader ? "	" + patch.oldHeader : ""));
    ret.push("+++ " + quoteFileNameIfNeeded(patch.newFileName) + (patch.newHeader ? "	" + patch.newHeader : ""));
  }
  for (let i = 0; i < patch.hunks.length; i++) {
    const hunk = patch.hunks[i];
    const oldStart = hunk.oldLines === 0 ? hunk.oldStart - 1 : hunk.oldStart;
    const newStart = hunk.newLines === 0 ? hunk.newStart - 1 : hunk.newStart;
    ret.push("@@ -" + oldStart + "," + hunk.oldLines + " +" + newStart + "," + hunk.newLines + " @@");
    for (const line of hunk.lines) {
      ret.push(line);
    }
  }
  return ret.join("\n") + "\n";
}
function createTwoFilesPatch(oldFileName, newFileName, oldStr, newStr, oldHeader, newHeader, options) {
  if (typeof options === "function") {
    options = { callback: options };
  }
  if (!(options === null || options === void 0 ? void 0 : options.callback)) {
    const patchObj = structuredPatch(oldFileName, newFileName, oldStr, newStr, oldHeader, newHeader, options);
    if (!patchObj) {
      return;
    }
    return formatPatch(patchObj, options === null || options === void 0 ? void 0 : options.headerOptions);
  } else {
    const { callback } = options;
    structuredPatch(oldFileName, newFileName, oldStr, newStr, oldHeader, newHeader, Object.assign(Object.assign({}, options), { callback: (patchObj) => {
      if (!patchObj) {
        callback(void 0);
      } else {
        callback(formatPatch(patchObj, options.headerOptions));
      }
    } }));
  }
}
function splitLines2(text) {
  const hasTrailingNl = text.endsWith("\n");
  const result = text.split("\n").map((line) => line + "\n");
  if (hasTrailingNl) {
    result.pop();
  } else {
    result.push(result.pop().slice(0, -1));
  }
  return result;
}

// src/render/fix/replacements.ts
var JOIN_GAP = 2;
function lineReplacements(before, after) {
  const beforeLines = splitLines(before);
  return hunks(before, after).map(trimmed).filter((h) => h.removed.length > 0 || h.added.length > 0).map((h) => toReplacement(anchored(h, (line) => beforeLines[line - 1])));
}
function toReplacement({ start, removed, added }) {
  return { startLine: start, endLine: start + Math.max(removed.length, 1) - 1, text: withoutFinalBreak(added.join("")) };
}
function anchored(hunk, lineOf3) {
  const ambiguous = hunk.removed.length === 0 || hunk.added.length === 1 && /^\r?\n?$/.test(hunk.added[0] ?? "");
  if (!ambiguous) return hunk;
  const above = lineOf3(hunk.start - 1);
  if (above !== void 0) {
    return { start: hunk.start - 1, removed: [above, ...hunk.removed], added: [above, ...hunk.added] };
  }
  const below = lineOf3(hunk.start + hunk.removed.length);
  if (below === void 0) return hunk;
  return { start: hunk.start, removed: [...hunk.removed, below], added: [...hunk.added, below] };
}
function hunks(before, after) {
  const result = [];
  let line = 1;
  let current = null;
  let gap = [];
  for (const change of diffLines(before, after)) {
    const lines = splitLines(change.value);
    if (!change.added && !change.removed) {
      if (current && lines.length <= JOIN_GAP) gap = lines;
      else {
        current = null;
        gap = [];
      }
      line += lines.length;
      continue;
    }
    if (current && gap.length > 0) {
      current.removed.push(...gap);
      current.added.push(...gap);
    } else if (!current) {
      current = { start: line, removed: [], added: [] };
      result.push(current);
    }
    gap = [];
    if (change.removed) {
      current.removed.push(...lines);
      line += lines.length;
    } else current.added.push(...lines);
  }
  return result;
}
function trimmed(hunk) {
  let { start } = hunk;
  const removed = [...hunk.removed];
  const added = [...hunk.added];
  while (removed.length > 0 && added.length > 0 && removed[removed.length - 1] === added[added.length - 1]) {
    removed.pop();
    added.pop();
  }
  while (removed.length > 0 && added.length > 0 && removed[0] === added[0]) {
    removed.shift();
    added.shift();
    start++;
  }
  return { start, removed, added };
}
function unifiedPatch(file, before, after) {
  return createTwoFilesPatch(`a/${file}`, `b/${file}`, before, after, void 0, void 0, {
    context: 3,
    headerOptions: FILE_HEADERS_ONLY
  });
}
function withoutFinalBreak(text) {
  return text.replace(/\r?\n$/, "");
}
var CONTEXT_LINES = 3;
function windowedPatch(file, before, after) {
  const change = changedSpan(before, after);
  let start = change.start;
  let firstLine2 = countLines(before, start);
  for (let i = 0; i < CONTEXT_LINES && start > 0; i++) {
    start = before.lastIndexOf("\n", start - 2) + 1;
    firstLine2--;
  }
  let end = change.end;
  for (let i = 0; i <= CONTEXT_LINES && end < before.length; i++) {
    const newline = before.indexOf("\n", end);
    end = newline < 0 ? before.length : newline + 1;
  }
  const delta = after.length - before.length;
  const oldWindow = before.slice(start, end);
  const newWindow = after.slice(start, end + delta);
  const offset = firstLine2 - 1;
  return {
    replacements: lineReplacements(oldWindow, newWindow).map((r) => ({
      ...r,
      startLine: r.startLine + offset,
      endLine: r.endLine + offset
    })),
    patch: unifiedPatch(file, oldWindow, newWindow).replace(
      /^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@/gm,
      (_, a, b = "", c, d = "") => `@@ -${Number(a) + offset}${b} +${Number(c) + offset}${d} @@`
    )
  };
}
function countLines(text, offset) {
  let lines = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) lines++;
  return lines;
}
function changedSpan(before, after) {
  const shortest = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < shortest && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  const start = before.lastIndexOf("\n", prefix - 1) + 1;
  let suffix = 0;
  while (suffix < shortest - start && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) {
    suffix++;
  }
  return { start, end: Math.max(start, before.length - suffix) };
}
function changePatch(file, before, change) {
  const from = lineStartOf(before, change.start);
  const head = before.slice(from, change.start) + change.text;
  const endsLine = lineStartOf(before, change.end) === change.end && (head === "" || head.endsWith("\n"));
  const to = endsLine ? change.end : lineEndOf(before, change.end);
  const oldLines = splitLines(before.slice(from, to));
  const firstLine2 = countLines(before, from);
  const hunk = trimmed({ start: firstLine2, removed: oldLines, added: splitLines(head + before.slice(change.end, to)) });
  if (hunk.removed.length === 0 && hunk.added.length === 0) return { replacements: [], patch: "" };
  const hunkFrom = from + length(oldLines.slice(0, hunk.start - firstLine2));
  const hunkTo = hunkFrom + length(hunk.removed);
  const above = linesBefore(before, hunkFrom, CONTEXT_LINES + 1);
  const below = linesAfter(before, hunkTo, CONTEXT_LINES + 1);
  const lineOf3 = (line) => line < hunk.start ? above[above.length - (hunk.start - line)] : below[line - hunk.start - hunk.removed.length];
  const contextAbove = above.slice(-CONTEXT_LINES);
  const contextBelow = below.slice(0, CONTEXT_LINES);
  const lines = [];
  const add = (prefix, from2) => {
    for (const line of from2) {
      if (line.endsWith("\n")) lines.push(prefix + line.slice(0, -1));
      else lines.push(prefix + line, "\\ No newline at end of file");
    }
  };
  add(" ", contextAbove);
  add("-", hunk.removed);
  add("+", hunk.added);
  add(" ", contextBelow);
  const start = hunk.start - contextAbove.length;
  const patch = formatPatch(
    {
      oldFileName: `a/${file}`,
      newFileName: `b/${file}`,
      oldHeader: void 0,
      newHeader: void 0,
      hunks: [
        {
          oldStart: start,
          oldLines: contextAbove.length + hunk.removed.length + contextBelow.length,
          newStart: start,
          newLines: contextAbove.length + hunk.added.length + contextBelow.length,
          lines
        }
      ]
    },
    FILE_HEADERS_ONLY
  );
  return { replacements: [toReplacement(anchored(hunk, lineOf3))], patch };
}
function length(lines) {
  return lines.reduce((sum, line) => sum + line.length, 0);
}
function linesBefore(text, offset, count) {
  const lines = [];
  for (let end = offset; lines.length < count && end > 0; ) {
    const start = lineStartOf(text, end - 1);
    lines.unshift(text.slice(start, end));
    end = start;
  }
  return lines;
}
function linesAfter(text, offset, count) {
  const lines = [];
  for (let start = offset; lines.length < count && start < text.length; ) {
    const end = lineEndOf(text, start);
    lines.push(text.slice(start, end));
    start = end;
  }
  return lines;
}

// src/render/fix/text-edit.ts
var import_yaml11 = __toESM(require_dist(), 1);

// src/render/fix/yaml-text.ts
var import_yaml10 = __toESM(require_dist(), 1);
function detectStyle(text, documents = []) {
  const json = looksLikeJson(text);
  return {
    eol: text.includes("\r\n") ? "\r\n" : "\n",
    indent: detectIndent(text),
    json,
    quote: json ? "double" : detectQuote(documents)
  };
}
function detectQuote(documents) {
  const counts = { plain: 0, double: 0, single: 0 };
  const count = (node) => {
    if ((0, import_yaml10.isMap)(node)) for (const pair of node.items) count(pair.value);
    else if ((0, import_yaml10.isSeq)(node)) for (const item of node.items) count(item);
    else if ((0, import_yaml10.isScalar)(node) && typeof node.value === "string") {
      if (node.type === "QUOTE_DOUBLE") counts.double++;
      else if (node.type === "QUOTE_SINGLE") counts.single++;
      else if (node.type === "PLAIN") counts.plain++;
    }
  };
  for (const doc of documents) count(doc.contents);
  if (counts.double > counts.plain && counts.double >= counts.single) return "double";
  if (counts.single > counts.plain) return "single";
  return "plain";
}
function looksLikeJson(text) {
  return /^\s*[[{][\s[{]*["\]}]/.test(text);
}
function detectIndent(text) {
  const counts = /* @__PURE__ */ new Map();
  let previous = 0;
  for (let start = 0, end = 0; start < text.length; start = end) {
    end = lineEndOf(text, start);
    let first = start;
    while (first < end && isBlank(text, first)) first++;
    if (first < end && text[first] !== "#") {
      const indent = first - start;
      const step2 = indent - previous;
      if (step2 > 0 && step2 <= 8) counts.set(step2, (counts.get(step2) ?? 0) + 1);
      previous = indent + (text.startsWith("- ", first) ? 2 : 0);
    }
  }
  let best = 2;
  let bestCount = 0;
  for (const [step2, count] of counts) {
    if (count > bestCount || count === bestCount && step2 < best) [best, bestCount] = [step2, count];
  }
  return best;
}
var WHITESPACE = /\s/;
function isBlank(text, index) {
  const code2 = text.charCodeAt(index);
  return code2 === 32 || (code2 < 33 || code2 > 126) && WHITESPACE.test(text.charAt(index));
}
function renderBlockEntry(key, value, column, style) {
  const pad = " ".repeat(column);
  if (!isNonEmptyMap(value)) return [`${pad}${renderKey(key)}: ${renderFlow(value, false, style)}`];
  return [
    `${pad}${renderKey(key)}:`,
    ...Object.entries(value).flatMap(([k, v]) => renderBlockEntry(k, v, column + style.indent, style))
  ];
}
function renderBlockItem(value, column, style, offset = 2) {
  const dash = `${" ".repeat(column)}-${" ".repeat(Math.max(1, offset - 1))}`;
  if (!isNonEmptyMap(value)) return [`${dash}${renderFlow(value, false, style)}`];
  const lines = Object.entries(value).flatMap(([k, v]) => renderBlockEntry(k, v, column + offset, style));
  return [`${dash}${(lines[0] ?? "").trimStart()}`, ...lines.slice(1)];
}
function renderFlow(value, inList, style) {
  if (Array.isArray(value)) return `[${value.map((v) => renderFlow(v, true, style)).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).map(
      ([k, v]) => `${renderKey(k, style.json)}: ${renderFlow(v, false, style)}`
    );
    if (entries.length === 0) return "{}";
    return style.padded ? `{ ${entries.join(", ")} }` : `{${entries.join(", ")}}`;
  }
  if (typeof value === "string") return renderString(value, style.json ? "double" : style.quote, inList, true);
  return String(value);
}
function renderString(value, quote, inList, inFlow) {
  if (quote === "single") return `'${value.replace(/'/g, "''")}'`;
  if (quote === "double" || inList || !isPlainSafe(value, inFlow)) return JSON.stringify(value);
  return value;
}
function renderKey(key, json = false) {
  return !json && isPlainSafe(key, true) ? key : JSON.stringify(key);
}
function renderScalarLike(old, value, style, inFlow = false) {
  if (typeof value !== "string") return renderFlow(value, false, style);
  if (old.type === "QUOTE_DOUBLE" || style.json) return JSON.stringify(value);
  if (old.type === "QUOTE_SINGLE") return renderString(value, "single", false, inFlow);
  return renderString(value, "plain", false, inFlow);
}
function renderMultilineFlow(value, column, style) {
  if (!style.json) return renderFlow(value, false, style);
  const pad = " ".repeat(column);
  return JSON.stringify(value, null, style.indent).split("\n").map((line, i) => i === 0 ? line : pad + line).join(style.eol);
}
function isPlainSafe(text, inFlow) {
  if (text === "" || text !== text.trim() || /[\n\r\t]/.test(text)) return false;
  if (inFlow && /[,[\]{}]/.test(text)) return false;
  return readsBackPlain(text);
}
var readsBackPlain = memoized((text) => {
  try {
    const doc = (0, import_yaml10.parseDocument)(`${text}
`, { ...KUBERNETES_YAML });
    return doc.errors.length === 0 && doc.toJS() === text;
  } catch {
    return false;
  }
});
function isNonEmptyMap(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0;
}

// src/render/fix/text-edit.ts
var styles = /* @__PURE__ */ new WeakMap();
function applyEdit(yaml, documentIndex, documentPath, edit) {
  const doc = yaml.documents[documentIndex];
  if (!doc?.contents) return refuse("the document is empty");
  const walk3 = walkPath(doc, doc.contents, [...documentPath, ...edit.path]);
  const last = walk3.steps[walk3.steps.length - 1] ?? walk3.steps[0];
  if (last.viaAlias) return refuse("the value comes from a YAML anchor or alias; an edit would change every place that uses it");
  const anchor = yaml.text.includes("*") && yaml.text.includes("&") ? sharedAnchor(doc, walk3, edit) : null;
  if (anchor !== null) {
    return refuse(`the value is shared through the anchor &${anchor}; an edit would change every place that uses it`);
  }
  let style = styles.get(yaml);
  if (!style) {
    style = detectStyle(yaml.text, yaml.documents);
    styles.set(yaml, style);
  }
  const editor = new TextEditor(yaml.text, style);
  switch (edit.op) {
    case "set":
      return walk3.missing.length === 0 ? editor.replaceValue(walk3.steps, edit.value) : editor.addMissing(last, walk3.missing, edit.value);
    case "delete":
      return walk3.missing.length === 0 ? editor.remove(walk3.steps) : { ok: true, text: yaml.text, change: { start: 0, end: 0, text: "" } };
    case "append":
      if (walk3.missing.length > 0) return editor.addMissing(last, walk3.missing, [edit.value]);
      return editor.append(walk3.steps, edit.value);
  }
}
function refuse(reason) {
  return { ok: false, reason };
}
function sharedAnchor(doc, walk3, edit) {
  const used = aliasesIn(doc);
  if (used.size === 0) return null;
  const lastIndex = walk3.steps.length - 1;
  for (const [i, step2] of walk3.steps.entries()) {
    const editsInside = i < lastIndex || walk3.missing.length > 0 || edit.op === "append";
    if (editsInside && step2.node !== step2.resolved) return step2.resolved.anchor ?? "?";
    const anchor = (editsInside ? step2.resolved : step2.node).anchor;
    if (anchor !== void 0 && used.has(anchor)) return anchor;
    if (!editsInside) return anchorWithin(step2.node, used);
  }
  return null;
}
var aliasSources = /* @__PURE__ */ new WeakMap();
function aliasesIn(doc) {
  let used = aliasSources.get(doc);
  if (!used) {
    const sources = /* @__PURE__ */ new Set();
    (0, import_yaml11.visit)(doc, {
      Alias(_, alias) {
        sources.add(alias.source);
      }
    });
    aliasSources.set(doc, sources);
    used = sources;
  }
  return used;
}
function anchorWithin(node, used) {
  let found = null;
  (0, import_yaml11.visit)(node, {
    Node(_, inner) {
      if (inner.anchor !== void 0 && used.has(inner.anchor)) {
        found = inner.anchor;
        return import_yaml11.visit.BREAK;
      }
      return void 0;
    }
  });
  return found;
}
var TextEditor = class {
  constructor(text, style) {
    this.text = text;
    this.style = style;
  }
  text;
  style;
  splice(start, end, insert) {
    return { ok: true, text: this.text.slice(0, start) + insert + this.text.slice(end), change: { start, end, text: insert } };
  }
  /** Sets a value that exists: a scalar in place, anything else after its key's colon. */
  replaceValue(steps, value) {
    const target = steps[steps.length - 1];
    const node = target.node;
    const isScalarValue = value === null || typeof value !== "object";
    if ((0, import_yaml11.isScalar)(node) && hasSource(node) && isScalarValue) {
      const [start, end] = rangeOf(node);
      return this.splice(start, end, renderScalarLike(node, value, this.flowStyle(target.parent)));
    }
    if (!target.pair) return refuse("cannot replace a list item that is a collection");
    return this.replaceAfterColon(target.pair, node, value, this.keyColumn(target.pair), target.parent);
  }
  /** Creates the missing tail of a path under the deepest node that exists. */
  addMissing(last, missing, value) {
    if (!missing.every((s) => typeof s === "string")) {
      return refuse("cannot create a list item that does not exist");
    }
    const [key, ...rest] = missing;
    const entryValue = rest.reduceRight((inner, k) => ({ [k]: inner }), value);
    const node = last.resolved;
    const emptyInBlock = (0, import_yaml11.isMap)(node) && node.items.length === 0 && last.parent?.flow !== true;
    if ((emptyInBlock || isEmptyScalar(node)) && last.pair) {
      return this.replaceAfterColon(last.pair, node, { [key]: entryValue }, this.keyColumn(last.pair), last.parent);
    }
    if ((0, import_yaml11.isMap)(node)) return this.insertEntry(node, key, entryValue);
    return refuse(`expected a map where "${String(key)}" should go`);
  }
  /** Deletes a map entry or a list item; a collection left empty becomes `{}` or `[]`. */
  remove(steps) {
    const target = steps[steps.length - 1];
    const holder = steps[steps.length - 2];
    const parent = target.parent;
    if (!parent || !holder) return refuse("cannot delete the whole object");
    const items = parent.items.length;
    if (parent.flow) return this.removeFlowItem(parent, target);
    if (items === 1) return this.emptyCollection(holder, parent, (0, import_yaml11.isMap)(parent) ? "{}" : "[]");
    const start = target.pair ? rangeOf(target.pair.key)[0] : rangeOf(target.node)[0];
    const end = this.contentEnd(target.node);
    const lineStart = this.lineStart(start);
    const prefix = this.text.slice(lineStart, start);
    const ownsLines = target.pair ? /^\s*$/.test(prefix) : /^\s*-\s+$/.test(prefix);
    if (ownsLines) {
      const stop = this.lineEnd(end);
      const unterminated = stop === this.text.length && !this.text.endsWith("\n");
      return this.splice(unterminated ? lineStart - this.eolLengthBefore(lineStart) : lineStart, stop, "");
    }
    const next = /^\s*-\s+$/.test(prefix) ? nextPairKeyStart(parent, target.pair) : null;
    if (next === null) return refuse("cannot delete this entry without rewriting the lines around it");
    return this.splice(start, next, "");
  }
  /** Adds an item at the end of an existing list. */
  append(steps, value) {
    const target = steps[steps.length - 1];
    const list2 = target.resolved;
    if (isEmptyScalar(list2) && target.pair) {
      return this.replaceAfterColon(target.pair, list2, [value], this.keyColumn(target.pair), target.parent);
    }
    if (!(0, import_yaml11.isSeq)(list2)) return refuse("expected a list");
    const sibling = list2.items[list2.items.length - 1];
    const like = typeof value === "string" && (0, import_yaml11.isScalar)(sibling) ? sibling : null;
    if (list2.flow) {
      const item = like ? renderScalarLike(like, value, this.flowStyle(list2), true) : null;
      return this.insertFlow(list2, value, item);
    }
    const first = list2.items[0];
    if (!first) return refuse("expected a list with items");
    const dash = this.text.lastIndexOf("-", rangeOf(first)[0]);
    const dashColumn = this.column(dash);
    const offset = Math.max(2, rangeOf(first)[0] - dash);
    const at = this.lineEnd(this.contentEnd(list2));
    const lines = like ? [`${" ".repeat(dashColumn)}-${" ".repeat(offset - 1)}${renderScalarLike(like, value, this.style)}`] : renderBlockItem(value, dashColumn, this.style, offset);
    return this.insertLines(at, lines);
  }
  insertEntry(map, key, value) {
    if (map.flow) return this.insertFlow(map, value, null, key);
    const firstKey = map.items[0]?.key;
    if (!firstKey) return refuse("expected a map with entries");
    const column = this.column(rangeOf(firstKey)[0]);
    const at = this.lineEnd(this.contentEnd(map));
    return this.insertLines(at, renderBlockEntry(key, value, column, this.style));
  }
  /**
   * Adds an item (a map entry when `key` is given) before the closing bracket of a flow
   * collection. Where the items stand on lines of their own (pretty-printed JSON), the new one
   * gets its own line at their column, its value laid out the same way.
   */
  insertFlow(collection, value, rendered, key) {
    const [start, end] = rangeOf(collection);
    const [open, closing] = (0, import_yaml11.isMap)(collection) ? ["{", "}"] : ["[", "]"];
    const entry2 = (valueText) => key === void 0 ? valueText : `${renderKey(key, this.style.json)}: ${valueText}`;
    const inline = entry2(rendered ?? renderFlow(value, key === void 0, this.flowStyle(collection)));
    if (collection.items.length === 0) return this.splice(start, end, `${open}${inline}${closing}`);
    const close = this.text.lastIndexOf(closing, end - 1);
    if (close < start) return refuse("malformed flow collection");
    let before = close;
    while (before > start && /\s/.test(this.text[before - 1] ?? "")) before--;
    const lastItem = collection.items[collection.items.length - 1];
    const lastStart = rangeOf((0, import_yaml11.isMap)(collection) ? lastItem.key : lastItem)[0];
    const lineStart = this.lineStart(lastStart);
    if (lineStart > start && /^\s*$/.test(this.text.slice(lineStart, lastStart))) {
      const column = lastStart - lineStart;
      const multiline = rendered ?? renderMultilineFlow(value, column, this.style);
      return this.splice(before, before, `,${this.style.eol}${" ".repeat(column)}${entry2(multiline)}`);
    }
    return this.splice(before, before, `, ${inline}`);
  }
  removeFlowItem(parent, target) {
    const items = parent.items;
    const index = items.findIndex((item) => item === (target.pair ?? target.node));
    const start = target.pair ? rangeOf(target.pair.key)[0] : rangeOf(target.node)[0];
    const end = rangeOf(target.node)[1];
    if (items.length === 1) {
      const [open, close] = rangeOf(parent);
      return this.splice(open, close, (0, import_yaml11.isMap)(parent) ? "{}" : "[]");
    }
    if (index < items.length - 1) {
      const comma2 = this.text.indexOf(",", end);
      let after = comma2 + 1;
      const lineStart = this.lineStart(start);
      const blank = (from, to) => /^\s*$/.test(this.text.slice(from, to));
      const ownsLines = blank(lineStart, start) && blank(after, this.lineEnd(after));
      if (ownsLines) return this.splice(lineStart, this.lineEnd(after), "");
      while (this.text[after] === " ") after++;
      return this.splice(start, after, "");
    }
    const comma = this.text.lastIndexOf(",", start);
    return this.splice(comma, end, "");
  }
  /** Turns the collection `parent` into an empty one, written where its key or dash is. */
  emptyCollection(holder, parent, empty) {
    const end = this.contentEnd(parent);
    if (holder.pair) {
      const colon = this.colonAfter(holder.pair);
      if (colon < 0) return refuse("cannot find the key of the collection");
      return this.splice(colon + 1, this.lineEnd(end) - this.eolLengthBefore(this.lineEnd(end)), ` ${empty}`);
    }
    if (holder.parent && (0, import_yaml11.isSeq)(holder.parent)) {
      const [start] = rangeOf(parent);
      return this.splice(start, this.lineEnd(end) - this.eolLengthBefore(this.lineEnd(end)), empty);
    }
    return refuse("cannot empty the whole object");
  }
  /** Replaces what follows `key:` with a value: inline for scalars and flow, block lines for maps. */
  replaceAfterColon(pair, old, value, keyColumn, parent) {
    const colon = this.colonAfter(pair);
    if (colon < 0) return refuse("cannot find the key");
    const oldEnd = hasSource(old) ? this.contentEnd(old) + 1 : colon + 1;
    const inline = parent?.flow === true || isNonEmptyFlow(old) && typeof value === "object" || !isNonEmptyObject(value);
    if (inline) {
      return this.splice(colon + 1, Math.max(colon + 1, oldEnd), ` ${renderFlow(value, false, this.flowStyle(parent))}`);
    }
    const lines = Object.entries(value).flatMap((([k, v]) => renderBlockEntry(k, v, keyColumn + this.style.indent, this.style)));
    return this.splice(colon + 1, Math.max(colon + 1, oldEnd), this.style.eol + lines.join(this.style.eol));
  }
  /** The file's style for a value going into `collection`: `{ a: 1 }` where it pads its own braces. */
  flowStyle(collection) {
    const start = collection?.flow === true && collection.items.length > 0 ? rangeOf(collection)[0] : -1;
    return { ...this.style, padded: start >= 0 && this.text[start + 1] === " " };
  }
  insertLines(at, lines) {
    const block = lines.join(this.style.eol);
    if (at > 0 && this.text[at - 1] !== "\n") return this.splice(at, at, this.style.eol + block);
    return this.splice(at, at, block + this.style.eol);
  }
  keyColumn(pair) {
    return this.column(rangeOf(pair.key)[0]);
  }
  colonAfter(pair) {
    return this.text.indexOf(":", rangeOf(pair.key)[1]);
  }
  /** The offset of the node's last character, not counting trailing blank lines or comments. */
  contentEnd(node) {
    const [start, valueEnd] = rangeOf(node);
    return lastContentOffset(this.text, start, valueEnd);
  }
  lineStart(offset) {
    return lineStartOf(this.text, offset);
  }
  /** The offset just past the line break that ends the line holding `offset` (or the text's end). */
  lineEnd(offset) {
    return lineEndOf(this.text, offset);
  }
  eolLengthBefore(offset) {
    if (this.text[offset - 1] !== "\n") return 0;
    return this.text[offset - 2] === "\r" ? 2 : 1;
  }
  column(offset) {
    return columnOf(this.text, offset);
  }
};
function rangeOf(node) {
  const range = node.range;
  return range ? [range[0], range[1]] : [0, 0];
}
function hasSource(node) {
  const range = node.range;
  return range !== void 0 && range !== null && range[1] > range[0];
}
function isEmptyScalar(node) {
  return (0, import_yaml11.isScalar)(node) && node.value === null;
}
function isNonEmptyFlow(node) {
  return ((0, import_yaml11.isMap)(node) || (0, import_yaml11.isSeq)(node)) && node.flow === true && node.items.length > 0;
}
function isNonEmptyObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0;
}
function nextPairKeyStart(parent, pair) {
  if (!pair || !(0, import_yaml11.isMap)(parent)) return null;
  const index = parent.items.indexOf(pair);
  const next = parent.items[index + 1];
  return next ? rangeOf(next.key)[0] : null;
}

// src/render/fix/fixes.ts
function renderFileFixes(yaml, objects, options) {
  for (const object of objects) {
    let baseline;
    for (const finding of object.findings) {
      if (!finding.proposedFix) continue;
      baseline ??= fingerprintCounts(object.findings);
      finding.rendered = renderFix(finding, yaml, object.resource, baseline, options);
    }
  }
}
function attachFixes(findings, head, options) {
  return findings.map((finding) => {
    if (finding.status !== "new" || !finding.proposedFix) return { ...finding, fix: null, fixNote: null };
    const outcome = finding.rendered ?? renderLate(finding, head, options);
    return { ...finding, fix: outcome.fix, fixNote: outcome.note };
  });
}
function renderLate(finding, head, options) {
  const yaml = head.parsed(finding.file);
  const resource = yaml && resourceAt(finding, yaml);
  if (!yaml || !resource) return { fix: null, note: "no patch offered: the file could not be read again" };
  return renderFix(finding, yaml, resource, objectFingerprints(resource, options.evaluation), options);
}
function renderFix(finding, original, resource, baseline, options) {
  const proposed = finding.proposedFix;
  if (!proposed) return { fix: null, note: "no fix" };
  const edited = applyVerified(finding, original, resource, baseline, options);
  if (!edited.ok) return { fix: null, note: `no patch offered: ${edited.reason}` };
  const text = edited.change ? changePatch(finding.file, original.text, edited.change) : windowedPatch(finding.file, original.text, edited.text);
  return { note: null, fix: { description: proposed.description, safety: proposed.safety, ...text } };
}
function applyVerified(finding, original, resource, baseline, options) {
  const edits = finding.proposedFix?.edits ?? [];
  const expected = applyEditsToJson(resource.object, edits);
  if (!expected) return { ok: false, reason: "the fix does not fit the object" };
  const readsBack = (applied2) => applied2.ok && textMatches(original, applied2.text, applied2.change ?? changedSpan(original.text, applied2.text), finding, edits, expected);
  const together = applyTogether(finding, original, edits);
  let applied = together ?? applyInTurn(finding, original, edits);
  let verified = readsBack(applied);
  if (!verified && together !== null && edits.length > 1) {
    applied = applyInTurn(finding, original, edits);
    verified = readsBack(applied);
  }
  if (!applied.ok) return applied;
  if (!verified) return { ok: false, reason: "the edited text does not read back as the intended change" };
  const { text, change } = applied;
  const edited = { ...resource, object: expected };
  const pod = podTemplateOf(resource, options.evaluation.podTemplates);
  const concerned = rulesReading(options.evaluation.rules, pod, changedFields(edits));
  const after = objectFingerprints(edited, { ...options.evaluation, rules: concerned });
  const editedObject = { resource: edited, findings: [], posture: null, suppressions: [] };
  const present = options.stillPresent?.(finding, [editedObject]) ?? (!concerned.some((rule) => rule.meta.id === finding.ruleId) || (after.get(finding.fingerprint) ?? 0) >= (baseline.get(finding.fingerprint) ?? 0));
  if (present) return { ok: false, reason: "it would not remove the finding" };
  for (const [fingerprint, count] of after) {
    if (count > (baseline.get(fingerprint) ?? 0)) return { ok: false, reason: "it would introduce another finding" };
  }
  return { ok: true, text, change };
}
function applyTogether(finding, original, edits) {
  const changes = [];
  for (const edit of edits) {
    const result = applyEdit(original, finding.documentIndex, finding.documentPath, edit);
    if (!result.ok) return edits.length === 1 ? result : null;
    changes.push(result.change);
  }
  changes.sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < changes.length; i++) {
    const previous = changes[i - 1];
    const next = changes[i];
    const insertsBoth = previous.start === previous.end && next.start === next.end;
    if (previous.end > next.start || previous.end === next.start && insertsBoth) return null;
  }
  let text = original.text;
  for (const change of [...changes].reverse()) text = text.slice(0, change.start) + change.text + text.slice(change.end);
  return { ok: true, text, change: changes.length === 1 ? changes[0] : null };
}
function applyInTurn(finding, original, edits) {
  let yaml = original;
  let text = original.text;
  for (const [i, edit] of edits.entries()) {
    if (i > 0) {
      const reparsed = reparse(finding.file, text);
      if (!reparsed) return { ok: false, reason: "the edited file did not parse" };
      yaml = reparsed;
    }
    const result = applyEdit(yaml, finding.documentIndex, finding.documentPath, edit);
    if (!result.ok) return result;
    text = result.text;
  }
  return { ok: true, text, change: null };
}
function resourceAt(finding, yaml) {
  const path = JSON.stringify(finding.documentPath);
  return extractResources(finding.file, yaml).resources.find(
    (r) => r.documentIndex === finding.documentIndex && JSON.stringify(r.documentPath) === path
  );
}
function reparse(file, text) {
  const outcome = parseManifestFile(file, Buffer.from(text, "utf8"));
  if (outcome.kind !== "parsed" || outcome.problems.length > 0) return null;
  return outcome.yaml;
}

// src/parallel.ts
var MIN_FILES = 256;
var BATCH_BYTES = 128 * 1024;
var MIN_BATCH_BYTES = 16 * 1024;
var WORKER_KIND = "kube-ratchet-evaluate";
var entry;
function enableWorkers(url) {
  entry = new URL(url);
}
function isEvaluationWorker() {
  return !isMainThread && workerData?.kind === WORKER_KIND;
}
function runEvaluationWorker() {
  const setup = workerData;
  const options = evaluationOptions(setup.config);
  parentPort?.on("message", (batch) => {
    const contents = batch.contents.map((c) => ({ ...c, bytes: Buffer.from(c.bytes.buffer, c.bytes.byteOffset, c.bytes.byteLength) }));
    parentPort?.postMessage({ index: batch.index, result: evaluateBatch(setup.revision, contents, options) });
  });
}
function evaluateBatch(revision, contents, options) {
  return evaluateRevision(
    revision,
    contents,
    /* @__PURE__ */ new Map(),
    options,
    (yaml, evaluation) => renderFileFixes(yaml, evaluation.objects, { evaluation: options })
  );
}
async function evaluateInParallel(revision, contents, config) {
  const threads = Math.min(4, availableParallelism2());
  if (!entry || threads < 2 || contents.length < MIN_FILES) return null;
  const batches = batchesOf(contents, threads);
  const results = [];
  let next = 0;
  const setup = { kind: WORKER_KIND, revision, config };
  const workers = [];
  let stopped = false;
  const serveHere = async () => {
    const options = evaluationOptions(config);
    for (let batch = batches[next]; batch && !stopped; batch = batches[next]) {
      results[next++] = evaluateBatch(revision, batch, options);
      await new Promise((resolve3) => setImmediate(resolve3));
    }
  };
  const serve = (url) => new Promise((resolve3, reject) => {
    const worker = new Worker(url, { workerData: setup });
    workers.push(worker);
    let outstanding = 0;
    const sendNext = () => {
      const batch = batches[next];
      if (!batch) {
        if (outstanding === 0) resolve3();
        return;
      }
      outstanding++;
      worker.postMessage({ index: next++, contents: batch });
    };
    worker.on("message", ({ index, result }) => {
      results[index] = result;
      outstanding--;
      sendNext();
    });
    worker.once("error", reject);
    worker.once("exit", (code2) => reject(new Error(`evaluation worker exited with ${code2}`)));
    sendNext();
    sendNext();
  });
  try {
    const workerCount = Math.min(threads, batches.length) - 1;
    await Promise.all([...Array.from({ length: workerCount }, () => serve(entry)), serveHere()]);
  } catch {
    return null;
  } finally {
    stopped = true;
    for (const worker of workers) void worker.terminate();
  }
  return {
    objects: results.flatMap((r) => r.objects),
    errors: results.flatMap((r) => r.errors),
    skipped: results.flatMap((r) => r.skipped),
    files: results.reduce((sum, r) => sum + r.files, 0)
  };
}
function batchesOf(contents, threads) {
  const sizeFor = (left2) => Math.min(BATCH_BYTES, Math.max(MIN_BATCH_BYTES, left2 / (4 * threads)));
  let left = contents.reduce((sum, content) => sum + content.bytes.length, 0);
  let size = sizeFor(left);
  const batches = [];
  let batch = [];
  let bytes = 0;
  for (const content of contents) {
    batch.push(content);
    bytes += content.bytes.length;
    if (bytes >= size) {
      batches.push(batch);
      left -= bytes;
      size = sizeFor(left);
      batch = [];
      bytes = 0;
    }
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

// src/load/revision-files.ts
var PARSED_CACHE_SIZE = 8;
var RevisionFiles = class {
  byPath = /* @__PURE__ */ new Map();
  parsedCache = /* @__PURE__ */ new Map();
  constructor(contents) {
    for (const content of contents) this.byPath.set(content.path, content);
  }
  get(path) {
    return this.byPath.get(path);
  }
  /** The parsed file, or undefined when it was not read or is not YAML. */
  parsed(path) {
    const cached = this.parsedCache.get(path);
    if (cached) return cached;
    const content = this.byPath.get(path);
    if (!content) return void 0;
    const outcome = parseManifestFile(path, content.bytes);
    if (outcome.kind !== "parsed") return void 0;
    if (this.parsedCache.size >= PARSED_CACHE_SIZE) {
      const oldest = this.parsedCache.keys().next().value;
      if (oldest !== void 0) this.parsedCache.delete(oldest);
    }
    this.parsedCache.set(path, outcome.yaml);
    return outcome.yaml;
  }
};

// src/render/redact.ts
var SECRET_RULES = /* @__PURE__ */ new Set(["secret-pattern", "secret-in-manifest", "secret-env-literal"]);
function redactCredentials(text) {
  if (!mayHoldCredential(text)) return text;
  const spans = [];
  for (const { name, pattern, reject } of CREDENTIAL_PATTERNS) {
    for (const match of text.matchAll(new RegExp(pattern.source, "g"))) {
      const end = match.index + match[0].length;
      if (reject?.(match[0], text, end)) continue;
      spans.push({ start: match.index, end, name });
    }
  }
  if (spans.length === 0) return text;
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  let out = "";
  let at = 0;
  for (const span2 of spans) {
    if (span2.start < at) continue;
    out += `${text.slice(at, span2.start)}[redacted ${span2.name}]`;
    at = span2.end;
  }
  return out + text.slice(at);
}
function holdsCredential(text) {
  return redactCredentials(text) !== text;
}
function redactReport(report) {
  const secretLines = secretLinesByFile([...report.findings, ...report.suppressed]);
  const finding = (f) => withoutLeakingFixes(redactFinding(f), secretLines);
  return {
    ...report,
    findings: report.findings.map(finding),
    suppressed: report.suppressed.map(finding),
    postures: report.postures.map((p) => ({ ...p, resource: redactResource(p.resource) })),
    errors: report.errors.map((e) => ({ ...e, message: redactCredentials(e.message) })),
    skipped: report.skipped.map((s) => ({ ...s, reason: redactCredentials(s.reason) })),
    warnings: report.warnings.map((w) => ({ ...w, message: redactCredentials(w.message) })),
    configChanges: report.configChanges.map(redactCredentials)
  };
}
function redactFinding(f) {
  const resource = redactResource(f.resource);
  const container = f.container === null ? null : redactCredentials(f.container);
  const message = redactCredentials(f.message);
  const path = redactCredentials(f.path);
  const fixNote = f.fixNote === null ? null : redactCredentials(f.fixNote);
  const description = f.fix && redactCredentials(f.fix.description);
  const unchanged = resource === f.resource && container === f.container && message === f.message && path === f.path && fixNote === f.fixNote && description === (f.fix && f.fix.description);
  if (unchanged) return f;
  return { ...f, resource, container, message, path, fixNote, fix: f.fix && { ...f.fix, description } };
}
function redactResource(resource) {
  const apiVersion = redactCredentials(resource.apiVersion);
  const kind = redactCredentials(resource.kind);
  const namespace = resource.namespace === null ? null : redactCredentials(resource.namespace);
  const name = redactCredentials(resource.name);
  const unchanged = apiVersion === resource.apiVersion && kind === resource.kind && namespace === resource.namespace && name === resource.name;
  return unchanged ? resource : { apiVersion, kind, namespace, name };
}
function secretLinesByFile(findings) {
  const lines = /* @__PURE__ */ new Map();
  for (const f of findings) {
    if (!SECRET_RULES.has(f.ruleId) || f.status === "fixed") continue;
    const list2 = lines.get(f.file) ?? [];
    list2.push({ line: f.line, endLine: f.endLine });
    lines.set(f.file, list2);
  }
  return lines;
}
var LEAKING_FIX_NOTE = "no patch offered: it would quote a line that holds a credential";
function withoutLeakingFixes(f, secretLines) {
  if (!f.fix) return f;
  if (SECRET_RULES.has(f.ruleId)) return { ...f, fix: null, fixNote: LEAKING_FIX_NOTE };
  const spans = secretLines.get(f.file) ?? [];
  const shown2 = spans.length === 0 ? [] : [...patchSpans(f.fix.patch), ...f.fix.replacements.map((r) => ({ line: r.startLine, endLine: r.endLine }))];
  const overlaps = shown2.some((s) => spans.some((t) => s.line <= t.endLine && t.line <= s.endLine));
  const quotes = holdsCredential(f.fix.patch) || f.fix.replacements.some((r) => holdsCredential(r.text));
  return overlaps || quotes ? { ...f, fix: null, fixNote: LEAKING_FIX_NOTE } : f;
}
function patchSpans(patch) {
  const spans = [];
  for (const match of patch.matchAll(/^@@ -(\d+)(?:,(\d+))? /gm)) {
    const start = Number(match[1]);
    const count = match[2] === void 0 ? 1 : Number(match[2]);
    if (count > 0) spans.push({ line: start, endLine: start + count - 1 });
  }
  return spans;
}

// src/pipeline.ts
var ALWAYS_READ = ["/Namespace"];
async function analyse(input) {
  const config = input.config ?? DEFAULT_CONFIG;
  const options = { ...evaluationOptions(config), ...input.evaluation };
  const transitionRules = options.rules.filter((r) => r.kind === "transition");
  const readKinds = /* @__PURE__ */ new Set([...ALWAYS_READ, ...transitionRules.flatMap((r) => r.reads ?? [])]);
  const wanted = pathFilter(config.include, config.exclude);
  const contents = await readRevisions({ base: input.base, head: input.head, scope: input.scope, wanted, withUnchanged: true, limits: config.limits });
  const rendering = await renderRevisions({
    base: input.base,
    head: input.head,
    contents,
    scope: input.scope,
    wanted,
    helm: { base: (input.baseConfig?.helm ?? config.helm).charts, head: config.helm.charts },
    configFile: config.file,
    options: input.render ?? { enabled: config.render.enabled, timeoutMs: config.render.timeoutSeconds * 1e3 }
  });
  const cache = /* @__PURE__ */ new Map();
  const baseRaw = evaluateRendered("base", rendering, cache, options);
  const headPlain = input.evaluation ? null : await evaluateInParallel("head", rendering.head.plain, config);
  const headRaw = evaluateRendered(
    "head",
    rendering,
    cache,
    options,
    headPlain,
    (yaml, evaluation) => renderFileFixes(yaml, evaluation.objects, { evaluation: options })
  );
  const surroundings = resourcesMentioning(contents.unchanged, readKinds);
  const context = {
    base: revisionView([...baseRaw.objects.map((o) => o.resource), ...surroundings]),
    head: revisionView([...headRaw.objects.map((o) => o.resource), ...surroundings]),
    podOf: (resource) => podTemplateOf(resource, options.podTemplates)
  };
  const metas = new Map([...options.rules, { meta: SUPPRESSION_ADDED }].map((r) => [r.meta.id, r.meta]));
  const headPolicy = {
    config,
    rules: metas,
    namespaceLabels: namespaceLevels(context.head.objectsOf("/Namespace")),
    today: input.today ?? (/* @__PURE__ */ new Date()).toISOString().slice(0, 10)
  };
  const pairs = pairObjects(applyPolicy(baseRaw.objects, headPolicy), applyPolicy(headRaw.objects, headPolicy));
  const files = {
    base: new RevisionFiles([...rendering.base.plain, ...rendering.base.outputs]),
    head: new RevisionFiles([...rendering.head.plain, ...rendering.head.outputs])
  };
  const objectOf = objectIndex(pairs);
  const transitions = evaluateTransitions(pairs, transitionRules, context, files).flatMap(
    (finding) => judge(finding, objectOf(finding)?.suppressions ?? [], headPolicy) ?? []
  );
  const compared = comparePairs(pairs);
  const all = sortFindings(
    [...transitions, ...compared.findings, ...addedSuppressions(pairs, transitions).flatMap((f) => judge(f, [], headPolicy) ?? [])].map(
      (f) => rendering.place(f)
    )
  ).map((f) => f.status === "new" && input.baseline?.has(f.fingerprint) ? { ...f, status: "unchanged" } : f);
  const counted2 = all.filter((f) => !f.suppressedBy);
  const suppressed = all.filter((f) => f.suppressedBy);
  const fixOptions = { evaluation: options, stillPresent: transitionRecheck(pairs, transitionRules, context) };
  const report = {
    base: input.base?.info ?? { ref: null, sha: null },
    head: input.head.info,
    findings: attachFixes(counted2, files.head, fixOptions),
    suppressed: suppressed.map((f) => ({ ...f, fix: null, fixNote: null })),
    postures: compared.postures,
    warnings: policyWarnings(headRaw.objects, headPolicy),
    configChanges: input.baseConfig ? weakeningChanges(input.baseConfig, config, metas) : [],
    errors: [...baseRaw.errors, ...headRaw.errors],
    skipped: [...contents.skipped, ...baseRaw.skipped, ...headRaw.skipped],
    files: baseRaw.files + headRaw.files,
    resources: headRaw.objects.length,
    failOn: input.failOn,
    mode: config.mode
  };
  return { report: redactReport(report), fixOptions };
}
function evaluateRendered(revision, rendering, cache, options, plainResult, renderFixes) {
  const side = rendering[revision];
  const plain = plainResult ?? evaluateRevision(revision, side.plain, cache, options, renderFixes);
  const rendered = evaluateRevision(revision, side.outputs, cache, options);
  return {
    objects: [...plain.objects, ...rendering.adopt(revision, rendered.objects)],
    errors: [...plain.errors, ...side.errors, ...rendered.errors],
    skipped: [...plain.skipped, ...side.skipped, ...rendered.skipped],
    files: plain.files + side.consumed
  };
}
function objectIndex(pairs) {
  const key = (file, documentIndex, documentPath) => `${file}\0${documentIndex}\0${JSON.stringify(documentPath)}`;
  const index = /* @__PURE__ */ new Map();
  for (const side of ["base", "head"]) {
    for (const pair of pairs) {
      const object = pair[side];
      if (object) index.set(key(object.resource.file, object.resource.documentIndex, object.resource.documentPath), object);
    }
  }
  return (finding) => index.get(key(finding.file, finding.documentIndex, finding.documentPath));
}

// src/render/fix/apply-all.ts
function applyFixesToFile(file, text, findings, options) {
  const result = { text, applied: [], skipped: [] };
  for (const finding of findings) {
    if (!finding.fix) continue;
    const parsed = parseManifestFile(file, Buffer.from(result.text, "utf8"));
    if (parsed.kind !== "parsed") {
      result.skipped.push({ finding, reason: "the file no longer parses" });
      continue;
    }
    const resource = resourceAt(finding, parsed.yaml);
    if (!resource) {
      result.skipped.push({ finding, reason: "its object is no longer in the file" });
      continue;
    }
    const baseline = objectFingerprints(resource, options.evaluation);
    const unedited = { resource, findings: [], posture: null, suppressions: [] };
    if (!(options.stillPresent?.(finding, [unedited]) ?? baseline.has(finding.fingerprint))) {
      result.applied.push(finding);
      continue;
    }
    const outcome = applyVerified(finding, parsed.yaml, resource, baseline, options);
    if (outcome.ok) {
      result.text = outcome.text;
      result.applied.push(finding);
    } else result.skipped.push({ finding, reason: outcome.reason });
  }
  return result;
}

// src/version.ts
var VERSION = "0.1.0";

// src/render/summary.ts
function summarize(report) {
  const count = (status) => report.findings.filter((f) => f.status === status).length;
  return {
    new: count("new"),
    fixed: count("fixed"),
    unchanged: count("unchanged"),
    files: report.files,
    resources: report.resources,
    errors: report.errors.length,
    skipped: report.skipped.length,
    suppressed: report.suppressed.length,
    failed: failingFindings(report).length > 0
  };
}
function failingFindings(report) {
  if (report.failOn === "none") return [];
  const threshold = severityRank(report.failOn);
  const counts = (f) => f.status === "new" || report.mode === "all" && f.status === "unchanged";
  return report.findings.filter((f) => counts(f) && severityRank(f.severity) >= threshold);
}
function countsLine(summary) {
  return `${summary.new} new \xB7 ${summary.fixed} fixed \xB7 ${summary.unchanged} unchanged`;
}

// src/render/json.ts
function toJsonReport(report) {
  return {
    schemaVersion: 1,
    tool: { name: "kube-ratchet", version: VERSION },
    base: report.base,
    head: report.head,
    summary: summarize(report),
    findings: report.findings.map(toJsonFinding),
    postures: report.postures,
    errors: report.errors,
    skipped: report.skipped,
    suppressed: report.suppressed.map((f) => ({ ...toJsonFinding(f), suppressedBy: f.suppressedBy })),
    warnings: report.warnings,
    configChanges: report.configChanges
  };
}
function toJsonFinding(finding) {
  return {
    status: finding.status,
    ruleId: finding.ruleId,
    pssCheck: finding.pssCheck,
    severity: finding.severity,
    title: finding.title,
    message: finding.message,
    resource: finding.resource,
    container: finding.container,
    file: finding.file,
    line: finding.line,
    endLine: finding.endLine,
    path: finding.path,
    fingerprint: finding.fingerprint,
    fix: finding.fix && {
      description: finding.fix.description,
      safety: finding.fix.safety,
      replacements: finding.fix.replacements,
      patch: finding.fix.patch
    },
    ...finding.fixNote ? { fixNote: finding.fixNote } : {}
  };
}
function renderJson(report) {
  return `${JSON.stringify(toJsonReport(report), null, 2)}
`;
}

// src/render/commentable.ts
function parsePatch(patch) {
  const hunks2 = [];
  const lines = patch.split("\n");
  let i = 0;
  while (i < lines.length) {
    const header = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(lines[i] ?? "");
    i++;
    if (!header) continue;
    let oldLeft = header[2] === void 0 ? 1 : Number(header[2]);
    let newLeft = header[4] === void 0 ? 1 : Number(header[4]);
    const start = Number(header[3]);
    const hunk = { start, count: newLeft, lines: [] };
    let right = start;
    while (i < lines.length && (oldLeft > 0 || newLeft > 0)) {
      const line = lines[i] ?? "";
      const marker = line[0];
      if (marker === "\\") {
        i++;
        continue;
      }
      if (line.startsWith("@@ ")) break;
      if (marker === "+") {
        if (newLeft === 0) break;
        hunk.lines.push(right++);
        newLeft--;
      } else if (marker === "-") {
        if (oldLeft === 0) break;
        oldLeft--;
      } else if (marker === " " || line === "" || line === "\r") {
        if (newLeft === 0 || oldLeft === 0) break;
        hunk.lines.push(right++);
        oldLeft--;
        newLeft--;
      } else break;
      i++;
    }
    hunks2.push(hunk);
  }
  return hunks2;
}
var CommentableDiff = class _CommentableDiff {
  files = /* @__PURE__ */ new Map();
  /** Files without a patch (binary, too large, deleted) have no commentable line. */
  static fromPullFiles(files) {
    const diff2 = new _CommentableDiff();
    for (const file of files) {
      if (file.status === "removed") continue;
      diff2.files.set(file.filename, typeof file.patch === "string" ? parsePatch(file.patch) : []);
    }
    return diff2;
  }
  /** A diff built from patches keyed by file name (the CLI computes them locally). */
  static fromPatches(patches) {
    const diff2 = new _CommentableDiff();
    for (const [file, patch] of patches) diff2.files.set(file, parsePatch(patch));
    return diff2;
  }
  /** Whether the file is part of the pull request at all. */
  hasFile(file) {
    return this.files.has(file);
  }
  /** The index of the hunk that shows `line` on the RIGHT side, or null. */
  hunkOf(file, line) {
    const hunks2 = this.files.get(file);
    if (!hunks2) return null;
    const index = hunks2.findIndex((h) => h.lines.includes(line));
    return index < 0 ? null : index;
  }
  isCommentable(file, line) {
    return this.hunkOf(file, line) !== null;
  }
  /** Every line of start..end is commentable, in one hunk: a valid multi-line comment range. */
  inOneHunk(file, start, end) {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 1 || end < start) return false;
    const hunk = this.hunkOf(file, start);
    if (hunk === null) return false;
    const lines = this.files.get(file)?.[hunk]?.lines ?? [];
    for (let line = start; line <= end; line++) if (!lines.includes(line)) return false;
    return true;
  }
  /** File names with at least one commentable line. */
  commentableFiles() {
    return [...this.files].filter(([, hunks2]) => hunks2.some((h) => h.lines.length > 0)).map(([file]) => file);
  }
};

// src/render/markdown/escape.ts
var JOINER = "\u2060";
function oneLine(text) {
  return text.replace(/\r\n|[\r\n\u2028\u2029]/g, " ").replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, "?");
}
function breakAutolinks(text) {
  return text.replace(/@/g, `@${JOINER}`).replace(/#(?=\d)/g, `#${JOINER}`).replace(/\b(GH)-(?=\d)/gi, `$1-${JOINER}`).replace(/:\/\//g, `:${JOINER}//`).replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}${JOINER}.`);
}
function escapeText(text) {
  const escaped = breakAutolinks(oneLine(text)).replace(/[\\`*_[\]|~$]/g, (c) => `\\${c}`).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return escaped.replace(/^([#+=-])/, "\\$1").replace(/^(\d+)([.)])/, "$1\\$2");
}
function escapeHtml(text) {
  return breakAutolinks(oneLine(text)).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
function longestBacktickRun(text) {
  let longest = 0;
  for (const match of text.matchAll(/`+/g)) longest = Math.max(longest, match[0].length);
  return longest;
}
function code(text, options = {}) {
  let body = oneLine(text);
  if (options.inTable) body = body.replace(/\|/g, "\\|");
  if (body === "") return "` `";
  const ticks = "`".repeat(longestBacktickRun(body) + 1);
  const pad = body.startsWith("`") || body.endsWith("`") || body.startsWith(" ") && body.endsWith(" ") ? " " : "";
  return `${ticks}${pad}${body}${pad}${ticks}`;
}
function fence(content, info = "") {
  const ticks = "`".repeat(Math.max(3, longestBacktickRun(content) + 1));
  const body = content === "" || content.endsWith("\n") ? content : `${content}
`;
  return `${ticks}${info}
${body}${ticks}`;
}
function link(text, url) {
  return `[${text}](${url.replace(/[()\s<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`)})`;
}
function urlPath(path) {
  return path.split("/").map((segment) => encodeURIComponent(segment)).join("/");
}
function token(text) {
  return text.replace(/[^A-Za-z0-9._-]/g, "");
}

// src/render/markdown/context.ts
var DEFAULT_ACTION_REPOSITORY = "kube-ratchet/kube-ratchet";
var DOCS_SERVER_URL = "https://github.com";
var GITHUB_TEXT_LIMIT = 65535;
function markdownContext(options = {}) {
  return {
    repositoryUrl: options.repositoryUrl ?? null,
    actionRepository: options.actionRepository || DEFAULT_ACTION_REPOSITORY,
    checkName: options.checkName ?? "kube-ratchet"
  };
}
function ruleDocsUrl(context, ruleId) {
  return `${DOCS_SERVER_URL}/${urlPath(context.actionRepository)}/blob/main/docs/rules/${encodeURIComponent(ruleId)}.md`;
}
function blobUrl(context, sha, file, line, endLine = line) {
  if (!context.repositoryUrl || !sha) return null;
  const anchor = endLine > line ? `#L${line}-L${endLine}` : `#L${line}`;
  return `${context.repositoryUrl}/blob/${encodeURIComponent(sha)}/${urlPath(file)}${anchor}`;
}
var SEVERITY_LABEL = {
  critical: "\u{1F534} Critical",
  high: "\u{1F7E0} High",
  medium: "\u{1F7E1} Medium",
  low: "\u{1F535} Low",
  info: "\u26AA Info"
};

// src/render/markdown/finding.ts
var DESCRIPTIONS = new Map(RULES.map((r) => [r.meta.id, r.meta.description]));
function ruleWhy(ruleId) {
  return DESCRIPTIONS.get(ruleId) ?? "";
}
function ruleLink(context, ruleId, options = {}) {
  return link(code(ruleId, options), ruleDocsUrl(context, ruleId));
}
function objectText(finding) {
  const object = `${escapeText(finding.resource.kind)} ${escapeText(displayName(finding.resource))}`;
  return finding.container === null ? object : `${object}, container ${escapeText(finding.container)}`;
}
function locationText(context, finding, sha) {
  const text = escapeText(`${finding.file}:${finding.line}`);
  const url = blobUrl(context, sha, finding.file, finding.line, finding.endLine);
  return url ? link(text, url) : text;
}
function severityText(finding) {
  return SEVERITY_LABEL[finding.severity];
}

// src/render/markdown/truncate.ts
function truncateMarkdown(text, note, limit = GITHUB_TEXT_LIMIT) {
  if (text.length <= limit) return text;
  const tail = (omitted) => `

> [!NOTE]
> Truncated: ${omitted} more lines are not shown (GitHub allows ${limit.toLocaleString("en-US")} characters). ${note}
`;
  const lines = text.split("\n");
  const reserve = tail(lines.length).length + 64;
  let kept = 0;
  let size = 0;
  let openFence = null;
  let fenceAtCut = null;
  for (const line of lines) {
    if (size + line.length + 1 > limit - reserve) break;
    size += line.length + 1;
    kept++;
    const marker = /^(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker) {
      if (openFence === null) openFence = marker;
      else if (marker[0] === openFence[0] && marker.length >= openFence.length && line.trim() === marker) openFence = null;
    }
    fenceAtCut = openFence;
  }
  const head = lines.slice(0, kept).join("\n");
  const close = fenceAtCut ? `
${fenceAtCut}` : "";
  return `${head}${close}${tail(lines.length - kept)}`;
}

// src/render/markdown/check.ts
function checkTitle(report) {
  const news = report.findings.filter((f) => f.status === "new");
  if (news.length === 0) return "No new security regressions";
  const counts = /* @__PURE__ */ new Map();
  for (const f of news) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  let shown2 = SEVERITIES.filter((s) => severityRank(s) >= severityRank("high") && counts.has(s));
  if (shown2.length === 0) shown2 = SEVERITIES.filter((s) => counts.has(s)).slice(0, 1);
  const detail = shown2.map((s) => `${counts.get(s)} ${s}`).join(", ");
  return `${news.length} new security ${news.length === 1 ? "regression" : "regressions"} (${detail})`;
}
function checkSummary(report, context) {
  const summary = summarize(report);
  const lines = [];
  const verdict = summary.failed ? "\u274C" : summary.new > 0 ? "\u26A0\uFE0F" : "\u2705";
  lines.push(`## ${verdict} ${escapeText(checkTitle(report))}`, "");
  const revisions = revisionLine(report);
  const threshold = report.failOn === "none" ? "No severity fails the check." : `New findings of severity **${report.failOn}** or above fail the check.`;
  lines.push(`${countsLine(summary)}${revisions ? ` \xB7 ${revisions}` : ""}. ${threshold}`, "");
  const weakened = report.configChanges ?? [];
  if (weakened.length > 0) {
    lines.push("### \u26A0\uFE0F This change weakens the gate", "");
    for (const change of weakened) lines.push(`- ${escapeText(change)}`);
    lines.push("");
  }
  const postures = report.postures.filter((p) => p.base !== p.head);
  if (postures.length > 0) {
    lines.push("### Pod Security level", "", "| Workload | Kind | File |", "| --- | --- | --- |");
    for (const p of postures) {
      const change = `${p.base ?? "absent"} \u2192 ${p.head ?? "absent"}`;
      lines.push(`| ${escapeText(displayName(p.resource))}: ${change} | ${escapeText(p.resource.kind)} | ${escapeText(p.file)} |`);
    }
    lines.push("");
  }
  const news = sorted(report.findings.filter((f) => f.status === "new"));
  if (news.length > 0) {
    lines.push("### New findings", "", "| Severity | Rule | Finding | Object | Location |", "| --- | --- | --- | --- | --- |");
    for (const f of news) {
      const fix2 = f.fix ? f.fix.safety === "safe" ? " Safe fix offered." : " Fix offered, to review." : "";
      lines.push(
        `| ${SEVERITY_LABEL[f.severity]} | ${ruleLink(context, f.ruleId, { inTable: true })} | ${escapeText(f.message)}${fix2} | ${objectText(f)} | ${locationText(context, f, report.head.sha)} |`
      );
    }
    lines.push("");
  }
  const fixed = sorted(report.findings.filter((f) => f.status === "fixed"));
  if (fixed.length > 0) {
    lines.push("### Fixed", "", "| Severity | Rule | Finding | Object | Was at |", "| --- | --- | --- | --- | --- |");
    for (const f of fixed) {
      lines.push(
        `| ${SEVERITY_LABEL[f.severity]} | ${ruleLink(context, f.ruleId, { inTable: true })} | ${escapeText(f.message)} | ${objectText(f)} | ${locationText(context, f, report.base.sha)} |`
      );
    }
    lines.push("");
  }
  if (summary.unchanged > 0) {
    const n = summary.unchanged;
    lines.push(
      `${n} ${n === 1 ? "finding was" : "findings were"} already there before this change (unchanged): existing debt, not counted against it.`,
      ""
    );
  }
  const suppressed = sorted(report.suppressed ?? []);
  if (suppressed.length > 0) {
    lines.push("### Suppressed", "", "| Status | Rule | Finding | Object | Location | Suppressed by |", "| --- | --- | --- | --- | --- | --- |");
    for (const f of suppressed) {
      const by = f.suppressedBy;
      const why = by ? `${escapeText(by.source)} at ${escapeText(`${by.file}:${by.line}`)}: ${escapeText(by.reason)}` : "";
      const sha = f.status === "fixed" ? report.base.sha : report.head.sha;
      lines.push(
        `| ${f.status} | ${ruleLink(context, f.ruleId, { inTable: true })} | ${escapeText(f.message)} | ${objectText(f)} | ${locationText(context, f, sha)} | ${why} |`
      );
    }
    lines.push("");
  }
  if (report.errors.length > 0) {
    lines.push("### Errors", "");
    for (const e of report.errors) {
      lines.push(`- ${code(e.line === null ? e.file : `${e.file}:${e.line}`)} (${e.revision}): ${escapeText(e.message)}`);
    }
    lines.push("");
  }
  const warnings = report.warnings ?? [];
  if (warnings.length > 0) {
    lines.push("### Warnings", "");
    for (const w of warnings) lines.push(`- ${code(w.line === null ? w.file : `${w.file}:${w.line}`)}: ${escapeText(w.message)}`);
    lines.push("");
  }
  if (report.skipped.length > 0) {
    lines.push("### Skipped files", "");
    for (const s of report.skipped) lines.push(`- ${code(s.file)} (${s.revision}): ${escapeText(s.reason)}`);
    lines.push("");
  }
  return truncateMarkdown(lines.join("\n").trimEnd() + "\n", "The annotations and the JSON report list every finding.", GITHUB_TEXT_LIMIT);
}
function revisionLine(report) {
  const short = (sha) => sha ? code(sha.slice(0, 7)) : null;
  const base = short(report.base.sha);
  const head = short(report.head.sha);
  if (head && base) return `compared ${base} \u2192 ${head}`;
  if (head) return `scanned ${head}`;
  return "";
}
function sorted(findings) {
  return [...findings].sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity) || (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line)
  );
}

// src/render/markdown/review.ts
var MAX_INLINE_COMMENTS = 30;
function fingerprintMarker(fingerprint) {
  return `<!-- kube-ratchet:fp=${token(fingerprint)} -->`;
}
function reviewMarker(headSha) {
  return `<!-- kube-ratchet:review head=${token(headSha)} -->`;
}
function anchorFor(finding, diff2) {
  const file = finding.file;
  const only = finding.fix?.replacements.length === 1 ? finding.fix.replacements[0] : void 0;
  if (only && diff2.inOneHunk(file, only.startLine, only.endLine)) {
    return { line: only.endLine, startLine: only.startLine < only.endLine ? only.startLine : null, suggestion: true };
  }
  if (diff2.inOneHunk(file, finding.line, finding.endLine)) {
    return { line: finding.endLine, startLine: finding.line < finding.endLine ? finding.line : null, suggestion: false };
  }
  if (diff2.isCommentable(file, finding.line)) return { line: finding.line, startLine: null, suggestion: false };
  return null;
}
function bySeverity(a, b) {
  return severityRank(b.severity) - severityRank(a.severity) || byPlace(a, b);
}
function byPlace(a, b) {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line;
}
function planReview(findings, diff2, context, options = {}) {
  const max = options.max ?? MAX_INLINE_COMMENTS;
  const plan = { comments: [], overflow: [], outside: [], alreadyCommented: [] };
  const seen = /* @__PURE__ */ new Set();
  const candidates = [];
  for (const finding of [...findings].filter((f) => f.status === "new").sort(bySeverity)) {
    if (options.commented?.has(finding.fingerprint)) {
      plan.alreadyCommented.push(finding);
      continue;
    }
    const anchor = anchorFor(finding, diff2);
    if (!anchor) {
      plan.outside.push(finding);
      continue;
    }
    if (seen.has(finding.fingerprint)) continue;
    seen.add(finding.fingerprint);
    if (candidates.length >= max) {
      plan.overflow.push(finding);
      continue;
    }
    candidates.push({ ...anchor, path: finding.file, body: commentBody(finding, anchor, context), finding });
  }
  plan.comments = candidates.sort((a, b) => byPlace({ file: a.path, line: a.line }, { file: b.path, line: b.line }));
  return plan;
}
function commentBody(finding, anchor, context) {
  const parts = [
    `**${severityText(finding)} \xB7 ${escapeText(finding.title)}** \xB7 ${ruleLink(context, finding.ruleId)} \xB7 ${objectText(finding)}`,
    whatAndWhy(finding)
  ];
  const fix2 = finding.fix;
  if (fix2) {
    const label = fix2.safety === "safe" ? "Safe fix" : "Review carefully";
    parts.push(`**${label}:** ${escapeText(fix2.description)}`);
    const only = fix2.replacements[0];
    if (anchor.suggestion && fix2.replacements.length === 1 && only) parts.push(fence(only.text, "suggestion"));
    else parts.push(fence(patchBody(fix2.patch, PATCH_LIMIT), "diff"));
  } else if (finding.fixNote) {
    parts.push(`_${escapeText(capitalize(finding.fixNote))}._`);
  }
  parts.push(fingerprintMarker(finding.fingerprint));
  const body = parts.join("\n\n");
  if (body.length <= GITHUB_TEXT_LIMIT) return body;
  return [...parts.slice(0, 2), "_The fix is too long to show here; it is in the JSON report._", fingerprintMarker(finding.fingerprint)].join("\n\n");
}
var PATCH_LIMIT = 2e4;
function patchBody(patch, limit) {
  const body = patch.replace(/^(?:Index:[^\n]*\n)?(?:=+\n)?---[^\n]*\n\+\+\+[^\n]*\n/, "");
  if (body.length <= limit) return body;
  const cut = body.lastIndexOf("\n", limit);
  return `${body.slice(0, cut < 0 ? limit : cut)}
\u2026 (patch truncated)
`;
}
function whatAndWhy(finding) {
  const why = ruleWhy(finding.ruleId);
  const what = escapeText(finding.message);
  return why ? `${what} ${why}` : what;
}
function capitalize(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
function reviewBody(context, options) {
  const total = options.inline + options.listed.length;
  const lines = [
    `**kube-ratchet** found ${total} new security ${total === 1 ? "regression" : "regressions"} in the changed lines.`
  ];
  if (options.refused) {
    lines.push("", "GitHub did not accept inline comments on these lines, so they are listed here.");
  } else if (options.listed.length > 0) {
    lines.push("", `${options.inline} are commented inline; the other ${options.listed.length} are listed here.`);
  }
  if (options.listed.length > 0) {
    lines.push("");
    for (const f of options.listed) lines.push(...listedFinding(context, f, options.headSha));
  }
  if (options.outside > 0) {
    const n = options.outside;
    lines.push("", `${n} more new ${n === 1 ? "finding sits" : "findings sit"} outside the diff: see the ${escapeText(context.checkName)} check.`);
  }
  const markers = `

${reviewMarker(options.headSha)}
<!-- kube-ratchet:run=${token(options.runToken)} -->`;
  return truncateMarkdown(lines.join("\n"), `The ${escapeText(context.checkName)} check and the JSON report list every finding.`, GITHUB_TEXT_LIMIT - markers.length) + markers;
}
function listedFinding(context, f, headSha) {
  const item = [
    `- **${severityText(f)}** ${ruleLink(context, f.ruleId)} ${escapeText(f.message)} (${objectText(f)}) at ${locationText(context, f, headSha)}`
  ];
  if (f.fix) {
    const label = f.fix.safety === "safe" ? "Safe fix" : "Review carefully";
    item.push(
      `  <details><summary>${label}: ${escapeHtml(f.fix.description)}</summary>`,
      "",
      ...fence(patchBody(f.fix.patch, 4e3), "diff").split("\n").map((l) => l === "" ? "" : `  ${l}`),
      "",
      "  </details>"
    );
  }
  return item;
}

// src/render/markdown.ts
function renderMarkdown(report, diff2, context) {
  const parts = [`# Check run: ${escapeText(context.checkName)}`, checkSummary(report, context).trimEnd()];
  const plan = planReview(report.findings, diff2, context);
  if (plan.comments.length > 0) {
    parts.push("---", "# Review");
    const headSha = report.head.sha ?? "HEAD";
    parts.push(
      reviewBody(context, {
        headSha,
        runToken: "local",
        listed: plan.overflow,
        inline: plan.comments.length,
        outside: plan.outside.length
      })
    );
    for (const comment of plan.comments) {
      const lines = comment.startLine === null ? `line ${comment.line}` : `lines ${comment.startLine}\u2013${comment.line}`;
      parts.push("---", `## Comment on ${escapeText(comment.path)}, ${lines}`, comment.body);
    }
  } else {
    parts.push("---", "_No review: nothing new to comment on in the changed lines._");
  }
  return `${parts.join("\n\n")}
`;
}

// src/report/local-diff.ts
async function localCommentableDiff(report, base, head) {
  const files = new Set(report.findings.filter((f) => f.status === "new").map((f) => f.file));
  if (files.size === 0) return CommentableDiff.fromPatches(/* @__PURE__ */ new Map());
  const [headFiles, baseFiles] = await Promise.all([readSome(head, files), base ? readSome(base, files) : /* @__PURE__ */ new Map()]);
  const patches = /* @__PURE__ */ new Map();
  for (const file of files) {
    const after = headFiles.get(file);
    if (!after) continue;
    const before = baseFiles.get(file)?.bytes.toString("utf8") ?? "";
    patches.set(file, createTwoFilesPatch(`a/${file}`, `b/${file}`, before, after.bytes.toString("utf8"), void 0, void 0, { context: 3 }));
  }
  return CommentableDiff.fromPatches(patches);
}
async function readSome(source, paths) {
  const entries = (await source.list()).filter((e) => paths.has(e.path));
  return new Map((await source.read(entries)).map((c) => [c.path, c]));
}
async function markdownReport(report, base, head) {
  return renderMarkdown(report, await localCommentableDiff(report, base, head), markdownContext());
}

// src/render/text.ts
var SEVERITY_COLOR = {
  critical: "\x1B[1;31m",
  high: "\x1B[31m",
  medium: "\x1B[33m",
  low: "\x1B[36m",
  info: "\x1B[2m"
};
var RESET = "\x1B[0m";
function renderText(report, options) {
  const paint = (code2, text) => options.color ? `${code2}${text}${RESET}` : text;
  const lines = [];
  const shown2 = report.findings.filter((f) => f.status !== "unchanged");
  for (const [file, findings] of groupByFile(shown2)) {
    lines.push(paint("\x1B[1m", sanitize(file)));
    for (const f of findings) {
      const status = f.status === "new" ? paint("\x1B[1m", "new  ") : paint("\x1B[32m", "fixed");
      const severity = paint(SEVERITY_COLOR[f.severity], f.severity.padEnd(8));
      lines.push(`  ${sanitize(file)}:${f.line}  ${status}  ${severity}  ${f.ruleId}  ${sanitize(f.message)}  (${sanitize(f.resource.kind)} ${sanitize(displayName(f.resource))})`);
      if (f.fix) {
        lines.push(`    ${f.fix.safety === "safe" ? "Safe fix" : "Fix to review"}: ${sanitize(f.fix.description)}`);
        for (const patchLine of f.fix.patch.split("\n").slice(2)) {
          if (patchLine !== "") lines.push(`      ${paintPatch(patchLine, paint)}`);
        }
      } else if (f.fixNote) lines.push(`    ${sanitize(f.fixNote)}`);
    }
    lines.push("");
  }
  const changed = report.postures.filter((p) => p.base !== p.head);
  if (changed.length > 0) {
    lines.push(paint("\x1B[1m", "Pod Security level"));
    for (const p of changed) {
      lines.push(`  ${sanitize(p.resource.kind)} ${sanitize(displayName(p.resource))}: ${p.base ?? "absent"} \u2192 ${p.head ?? "absent"}  (${sanitize(p.file)})`);
    }
    lines.push("");
  }
  for (const e of report.errors) {
    lines.push(`${paint("\x1B[31m", "error")} ${sanitize(e.file)}${e.line === null ? "" : `:${e.line}`} (${e.revision}): ${sanitize(e.message)}`);
  }
  for (const s of report.skipped) lines.push(`skipped ${sanitize(s.file)} (${s.revision}): ${sanitize(s.reason)}`);
  for (const w of report.warnings) {
    lines.push(`${paint("\x1B[33m", "warning")} ${sanitize(w.file)}${w.line === null ? "" : `:${w.line}`}: ${sanitize(w.message)}`);
  }
  for (const change of report.configChanges) lines.push(`${paint("\x1B[33m", "config")} this change weakens the gate: ${sanitize(change)}`);
  if (report.errors.length + report.skipped.length + report.warnings.length + report.configChanges.length > 0) lines.push("");
  if (report.suppressed.length > 0) {
    lines.push(`${report.suppressed.length} suppressed:`);
    for (const f of report.suppressed) {
      const by = f.suppressedBy;
      lines.push(`  ${sanitize(f.file)}:${f.line}  ${f.ruleId}  (${sanitize(f.resource.kind)} ${sanitize(displayName(f.resource))})  ${by ? `${by.source} at ${sanitize(by.file)}:${by.line}: ${sanitize(by.reason)}` : ""}`);
    }
    lines.push("");
  }
  lines.push(countsLine(summarize(report)));
  return `${lines.map(inert).join("\n")}
`;
}
function inert(line) {
  return line.replace(/^((?:\s|\x1b\[[0-9;]*m)*):(?=:)/, "$1:\u200B");
}
function paintPatch(line, paint) {
  const text = sanitize(line);
  if (line.startsWith("+")) return paint("\x1B[32m", text);
  if (line.startsWith("-")) return paint("\x1B[31m", text);
  if (line.startsWith("@@")) return paint("\x1B[36m", text);
  return text;
}
function groupByFile(findings) {
  const groups = /* @__PURE__ */ new Map();
  for (const f of findings) {
    const list2 = groups.get(f.file);
    if (list2) list2.push(f);
    else groups.set(f.file, [f]);
  }
  return groups;
}
function sanitize(text) {
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => c === "\n" ? "\\n" : "?");
}

// src/cli/main.ts
var EXIT = { clean: 0, failed: 1, usage: 2 };
var USAGE = `Usage:
  kube-ratchet diff --base <git-ref|dir> [--head <git-ref|dir>] [--repo <dir>] [options]
  kube-ratchet scan <path\u2026> [--baseline report.json] [options]
  kube-ratchet fix --base <git-ref|dir> [--head <dir>] [--repo <dir>] [--config FILE]
  kube-ratchet init [--force]

Options:
  --format text|json|markdown
                         output format (default: text); markdown: the check run and review the action posts
  --fail-on <severity>   critical|high|medium|low|info|none (default: the configuration's, else high)
  --config FILE          configuration file (default: .github/kube-ratchet.yml of the head revision)
  --output FILE          write the report to FILE instead of stdout

Exit codes: 0 no new finding at or above --fail-on, 1 there is one, 2 usage or configuration error.
`;
var UsageError = class extends Error {
};
var FORMATS = ["text", "json", "markdown"];
async function main(argv, io) {
  try {
    const [command, ...rest] = argv;
    if (command === "--version" || command === "-v") {
      io.stdout(`${VERSION}
`);
      return EXIT.clean;
    }
    if (command === void 0 || command === "--help" || command === "-h" || command === "help") {
      io.stdout(USAGE);
      return command === void 0 ? EXIT.usage : EXIT.clean;
    }
    if (command === "diff") return await diff(rest, io);
    if (command === "scan") return await scan(rest, io);
    if (command === "fix") return await fix(rest, io);
    if (command === "init") return await init(rest, io);
    throw new UsageError(`unknown command "${command}"`);
  } catch (error) {
    if (error instanceof ConfigFileError) {
      io.stderr(`kube-ratchet: the configuration is invalid:
${error.message}
`);
      return EXIT.usage;
    }
    if (error instanceof UsageError || error instanceof RevisionError || isParseArgsError(error)) {
      io.stderr(`kube-ratchet: ${error.message}

${USAGE}`);
      return EXIT.usage;
    }
    io.stderr(`kube-ratchet: ${error instanceof Error ? error.stack ?? error.message : String(error)}
`);
    return EXIT.usage;
  }
}
var COMMON_OPTIONS = {
  format: { type: "string", default: "text" },
  "fail-on": { type: "string" },
  output: { type: "string" },
  config: { type: "string" }
};
var REVISION_OPTIONS = { base: { type: "string" }, head: { type: "string" }, repo: { type: "string" } };
async function diff(args, io) {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { ...COMMON_OPTIONS, ...REVISION_OPTIONS },
    allowPositionals: true
  });
  if (positionals.length > 0) throw new UsageError(`diff takes no paths (got "${positionals[0]}")`);
  const input = await diffInput(values, io);
  const output = outputOptions(values, input.config ?? DEFAULT_CONFIG);
  const { report } = await analyse({ ...input, failOn: output.failOn });
  return emit(report, output, io, input);
}
async function scan(args, io) {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { ...COMMON_OPTIONS, baseline: { type: "string" } },
    allowPositionals: true
  });
  if (positionals.length === 0) throw new UsageError("scan needs at least one path");
  const head = await scanSource(io.cwd, positionals);
  const config = values.config ? await configFromFile(resolve2(io.cwd, values.config), values.config) : await configFromRevision(head) ?? DEFAULT_CONFIG;
  const output = outputOptions(values, config);
  const baseline = values.baseline ? await baselineFingerprints(resolve2(io.cwd, values.baseline), values.baseline) : void 0;
  const { report } = await analyse({ base: null, head, scope: "all", failOn: output.failOn, config, baseline });
  return emit(report, output, io, { base: null, head });
}
async function fix(args, io) {
  const { values, positionals } = parseArgs({ args: [...args], options: { ...REVISION_OPTIONS, config: { type: "string" } }, allowPositionals: true });
  if (positionals.length > 0) throw new UsageError(`fix takes no paths (got "${positionals[0]}")`);
  const input = await diffInput(values, io);
  const root = input.head.root;
  if (root === void 0) throw new UsageError("fix writes files: --head must be a directory or left out (the work tree)");
  const { report, fixOptions } = await analyse({ ...input, failOn: "none" });
  const byFile = /* @__PURE__ */ new Map();
  for (const finding of report.findings) {
    if (finding.status !== "new" || !finding.fix) continue;
    byFile.set(finding.file, [...byFile.get(finding.file) ?? [], finding]);
  }
  let applied = 0;
  for (const [file, findings] of byFile) {
    const path = join5(root, file);
    const result = applyFixesToFile(file, await readFile2(path, "utf8"), findings, fixOptions);
    if (result.applied.length > 0) await writeFile2(path, result.text);
    applied += result.applied.length;
    for (const f of result.applied) io.stdout(`fixed   ${file}:${f.line}  ${f.ruleId}  ${f.fix?.description ?? ""}
`);
    for (const { finding, reason } of result.skipped) io.stdout(`skipped ${file}:${finding.line}  ${finding.ruleId}  ${reason}
`);
  }
  const unfixable = report.findings.filter((f) => f.status === "new" && !f.fix).length;
  io.stdout(`${applied} fixed in ${byFile.size} file(s) \xB7 ${unfixable} new finding(s) without a verified fix
`);
  return EXIT.clean;
}
async function init(args, io) {
  const { values } = parseArgs({ args: [...args], options: { force: { type: "boolean", default: false } } });
  const path = join5(io.cwd, DEFAULT_CONFIG_PATHS[0]);
  if (!values.force && await stat2(path).catch(() => null)) {
    throw new UsageError(`${DEFAULT_CONFIG_PATHS[0]} exists already (use --force to overwrite it)`);
  }
  await mkdir3(dirname2(path), { recursive: true });
  await writeFile2(path, INIT_CONFIG);
  io.stdout(`wrote ${DEFAULT_CONFIG_PATHS[0]}
`);
  return EXIT.clean;
}
async function diffInput(values, io) {
  if (!values.base) throw new UsageError("needs --base <git-ref|dir>");
  const { base, head } = await resolveRevisions(io.cwd, resolve2(io.cwd, values.repo ?? "."), values.base, values.head);
  if (values.config) {
    return { base, head, scope: "changed", config: await configFromFile(resolve2(io.cwd, values.config), values.config) };
  }
  const baseOrNull = configFromRevision(base).catch((error) => {
    if (error instanceof ConfigFileError) return null;
    throw error;
  });
  const [headConfig, baseConfig] = await Promise.all([configFromRevision(head), baseOrNull]);
  return { base, head, scope: "changed", config: headConfig ?? DEFAULT_CONFIG, baseConfig: baseConfig ?? DEFAULT_CONFIG };
}
async function scanSource(cwd, paths) {
  for (const path of paths) {
    if (!await stat2(resolve2(cwd, path)).catch(() => null)) throw new UsageError(`${path}: no such file or directory`);
  }
  const [first] = paths;
  if (paths.length === 1 && first !== void 0 && (await stat2(resolve2(cwd, first))).isDirectory()) {
    return new DirectorySource(resolve2(cwd, first), { ref: first, sha: null });
  }
  return new DirectorySource(cwd, { ref: cwd, sha: null }, paths);
}
async function baselineFingerprints(path, shownAs) {
  let report;
  try {
    report = JSON.parse(await readFile2(path, "utf8"));
  } catch {
    throw new UsageError(`--baseline ${shownAs}: not a readable JSON report`);
  }
  if (!Array.isArray(report.findings)) throw new UsageError(`--baseline ${shownAs}: not a kube-ratchet JSON report (no findings)`);
  return new Set(
    report.findings.flatMap((f) => typeof f.fingerprint === "string" && f.status !== "fixed" ? [f.fingerprint] : [])
  );
}
function outputOptions(values, config) {
  const format = values.format ?? "text";
  if (!FORMATS.includes(format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(", ")} (got "${format}")`);
  }
  const failOn = values["fail-on"] ?? config.failOn;
  if (failOn !== "none" && !SEVERITIES.includes(failOn)) {
    throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(", ")}, none (got "${failOn}")`);
  }
  return { format, failOn, output: values.output };
}
async function emit(report, options, io, revisions) {
  const text = options.format === "json" ? renderJson(report) : options.format === "markdown" ? await markdownReport(report, revisions.base, revisions.head) : renderText(report, { color: io.isTTY && options.output === void 0 });
  if (options.output) await writeFile2(resolve2(io.cwd, options.output), text);
  else io.stdout(text);
  return summarize(report).failed ? EXIT.failed : EXIT.clean;
}
function isParseArgsError(error) {
  return error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS");
}

// src/cli.ts
if (isEvaluationWorker()) runEvaluationWorker();
else {
  enableWorkers(import.meta.url);
  process.exitCode = await main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    isTTY: process.stdout.isTTY === true
  });
}
