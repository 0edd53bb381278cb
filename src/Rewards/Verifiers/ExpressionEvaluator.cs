using System.Numerics;

namespace RlTrainer.Rewards.Verifiers;

/// <summary>
/// Evaluates a scalar <see cref="MathNode"/> at given variable values: exactly over rationals while it can,
/// in double precision after an irrational step. Structural nodes (lists, relations, matrices) and ± are not
/// scalars and evaluate to <see cref="Scalar.Undefined"/>; the comparer takes them apart first.
/// </summary>
internal static class ExpressionEvaluator
{
    private const int MaxFactorial = 300;

    public static Scalar Evaluate(MathNode node, IReadOnlyDictionary<string, Scalar> variables, VerifierBudget budget)
    {
        budget.Check();
        switch (node)
        {
            case NumberNode n: return Scalar.Of(n.Value);
            case SymbolNode s: return variables.TryGetValue(s.Name, out var v) ? v : Scalar.Undefined;
            case ConstantNode { Constant: MathConstant.Pi }: return Scalar.Of(Math.PI);
            case ConstantNode { Constant: MathConstant.Infinity }: return Scalar.Of(double.PositiveInfinity);
            case NegateNode neg: return -Evaluate(neg.Operand, variables, budget);
            case PercentNode p: return Evaluate(p.Operand, variables, budget) / Scalar.Of(100);
            case SumNode sum:
            {
                var total = Scalar.Of(0);
                for (var i = 0; i < sum.Terms.Count; i++)
                {
                    var term = Evaluate(sum.Terms[i], variables, budget);
                    if (term.IsUndefined) return Scalar.Undefined;
                    total = sum.Signs[i] switch
                    {
                        SumSign.Plus => total + term,
                        SumSign.Minus => total - term,
                        _ => Scalar.Undefined,
                    };
                    if (total.IsUndefined) return total;
                }
                return total;
            }
            case ProductNode product:
            {
                var total = Scalar.Of(1);
                for (var i = 0; i < product.Factors.Count; i++)
                {
                    var factor = Evaluate(product.Factors[i], variables, budget);
                    if (factor.IsUndefined) return Scalar.Undefined;
                    total = product.Divides[i] ? total / factor : total * factor;
                    if (total.IsUndefined) return total;
                }
                return total;
            }
            case PowerNode power:
                return Scalar.Pow(Evaluate(power.Base, variables, budget), Evaluate(power.Exponent, variables, budget));
            case FunctionNode f: return EvaluateFunction(f, variables, budget);
            case FactorialNode fact: return Factorial(Evaluate(fact.Operand, variables, budget));
            case BinomialNode b: return Binomial(Evaluate(b.N, variables, budget), Evaluate(b.K, variables, budget));
            default: return Scalar.Undefined;
        }
    }

    private static Scalar EvaluateFunction(FunctionNode f, IReadOnlyDictionary<string, Scalar> variables, VerifierBudget budget)
    {
        var x = Evaluate(f.Argument, variables, budget);
        if (x.IsUndefined) return x;
        switch (f.Name)
        {
            case "sqrt": return Scalar.Sqrt(x);
            case "root":
            {
                var k = f.Index is null ? Scalar.Undefined : Evaluate(f.Index, variables, budget);
                if (!k.IsExact || !k.Exact.IsInteger || k.Exact.Numerator < 2 || k.Exact.Numerator > 64) return Scalar.Undefined;
                return Scalar.Root(x, (int)k.Exact.Numerator);
            }
            case "abs": return x.IsExact ? Scalar.Of(x.Exact.Sign < 0 ? -x.Exact : x.Exact) : Scalar.Of(Math.Abs(x.Value));
            case "floor": return x.IsExact ? Scalar.Of(BigRational.FromInteger(Floor(x.Exact))) : Scalar.Apply(Math.Floor, x);
            case "ceil": return x.IsExact ? Scalar.Of(BigRational.FromInteger(-Floor(-x.Exact))) : Scalar.Apply(Math.Ceiling, x);
            case "log":
            {
                if (x.IsExact && x.Exact == BigRational.One) return Scalar.Of(0);
                var ln = Scalar.Apply(v => v > 0 ? Math.Log(v) : double.NaN, x);
                if (f.Index is null) return ln;
                var b = Evaluate(f.Index, variables, budget);
                return ln / Scalar.Apply(v => v > 0 && v != 1 ? Math.Log(v) : double.NaN, b);
            }
            case "log10": return Scalar.Apply(v => v > 0 ? Math.Log10(v) : double.NaN, x);
            case "exp": return x.IsExact && x.Exact.IsZero ? Scalar.Of(1) : Scalar.Apply(Math.Exp, x);
            case "sin": return x.IsExact && x.Exact.IsZero ? x : Scalar.Apply(Math.Sin, x);
            case "cos": return x.IsExact && x.Exact.IsZero ? Scalar.Of(1) : Scalar.Apply(Math.Cos, x);
            case "tan": return x.IsExact && x.Exact.IsZero ? x : Scalar.Apply(Math.Tan, x);
            case "sec": return Scalar.Apply(v => 1 / Math.Cos(v), x);
            case "csc": return Scalar.Apply(v => 1 / Math.Sin(v), x);
            case "cot": return Scalar.Apply(v => 1 / Math.Tan(v), x);
            case "arcsin": return Scalar.Apply(Math.Asin, x);
            case "arccos": return Scalar.Apply(Math.Acos, x);
            case "arctan": return Scalar.Apply(Math.Atan, x);
            case "sinh": return Scalar.Apply(Math.Sinh, x);
            case "cosh": return Scalar.Apply(Math.Cosh, x);
            case "tanh": return Scalar.Apply(Math.Tanh, x);
            default: return Scalar.Undefined;
        }
    }

    private static BigInteger Floor(BigRational r)
    {
        var q = BigInteger.DivRem(r.Numerator, r.Denominator, out var rem);
        return rem.Sign < 0 ? q - 1 : q;
    }

    private static Scalar Factorial(Scalar n)
    {
        if (!n.IsExact || !n.Exact.IsInteger || n.Exact.Sign < 0 || n.Exact.Numerator > MaxFactorial) return Scalar.Undefined;
        var result = BigInteger.One;
        for (var i = 2; i <= (int)n.Exact.Numerator; i++) result *= i;
        return Scalar.Of(BigRational.FromInteger(result));
    }

    private static Scalar Binomial(Scalar n, Scalar k)
    {
        if (!n.IsExact || !k.IsExact || !n.Exact.IsInteger || !k.Exact.IsInteger) return Scalar.Undefined;
        var nn = n.Exact.Numerator;
        var kk = k.Exact.Numerator;
        if (nn.Sign < 0 || nn > 10_000) return Scalar.Undefined;
        if (kk.Sign < 0 || kk > nn) return Scalar.Of(0);
        if (kk > nn - kk) kk = nn - kk;
        var result = BigInteger.One;
        for (var i = BigInteger.One; i <= kk; i++) result = result * (nn - kk + i) / i;
        return Scalar.Of(BigRational.FromInteger(result));
    }
}
