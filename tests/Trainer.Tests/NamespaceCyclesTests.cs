using Mono.Cecil;
using Mono.Cecil.Cil;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Tests;

/// <summary>
/// The trainer's folders form a layered graph: no two namespaces of rltrainer.dll use each other, directly or through
/// others. Read from the compiled IL (signatures and method bodies, lambdas included), so a type named only inside a
/// method counts as much as one in a signature.
/// </summary>
public class NamespaceCyclesTests
{
    private const string Root = "RlTrainer.Trainer";

    [Fact]
    public void NoTwoTrainerNamespacesDependOnEachOther()
    {
        var edges = DependencyEdges(typeof(TrainingLoop).Assembly.Location);
        Assert.True(edges.Count > 20, $"only {edges.Count} namespace dependencies found: is the assembly right?");
        var cycles = StronglyConnected(edges).Where(c => c.Count > 1).ToList();
        var report = cycles.Select(c => string.Join(Environment.NewLine, c.SelectMany(a => c.Where(b => edges.ContainsKey((a, b)))
            .Select(b => $"  {Short(a)} -> {Short(b)}: {edges[(a, b)]}"))));
        Assert.True(cycles.Count == 0, "namespace cycles:" + Environment.NewLine + string.Join(Environment.NewLine + Environment.NewLine, report));
    }

    [Fact]
    public void TheCheck_FindsACycle()
    {
        var edges = new Dictionary<(string, string), string> { [("a", "b")] = "x", [("b", "c")] = "y", [("c", "a")] = "z", [("c", "d")] = "w" };
        var cycles = StronglyConnected(edges).Where(c => c.Count > 1).ToList();
        Assert.Equal(["a", "b", "c"], Assert.Single(cycles).Order());
    }

    private static string Short(string ns) => ns == Root ? "(root)" : ns[(Root.Length + 1)..];

    /// (from namespace, to namespace) → one example "Type uses Type" for the message.
    private static Dictionary<(string, string), string> DependencyEdges(string assemblyPath)
    {
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        var edges = new Dictionary<(string, string), string>();
        foreach (var type in module.GetTypes())
        {
            var from = NamespaceOf(type);
            if (!from.StartsWith(Root, StringComparison.Ordinal)) continue;
            foreach (var used in UsedTypes(type))
            {
                if (used.Module != module) continue;   // other assemblies are other layers
                var to = NamespaceOf(used);
                if (to == from || !to.StartsWith(Root, StringComparison.Ordinal)) continue;
                edges.TryAdd((from, to), $"{Outermost(type).Name} uses {Outermost(used).Name}");
            }
        }
        return edges;
    }

    private static TypeReference Outermost(TypeReference t) => t.DeclaringType is null ? t : Outermost(t.DeclaringType);

    private static string NamespaceOf(TypeReference t) => Outermost(t).Namespace;

    private static IEnumerable<TypeReference> UsedTypes(TypeDefinition type)
    {
        IEnumerable<TypeReference> Refs()
        {
            if (type.BaseType is { } b) yield return b;
            foreach (var i in type.Interfaces) yield return i.InterfaceType;
            foreach (var f in type.Fields) yield return f.FieldType;
            foreach (var p in type.Properties) yield return p.PropertyType;
            foreach (var m in type.Methods)
            {
                yield return m.ReturnType;
                foreach (var p in m.Parameters) yield return p.ParameterType;
                if (!m.HasBody) continue;
                foreach (var v in m.Body.Variables) yield return v.VariableType;
                foreach (var ins in m.Body.Instructions)
                    switch (ins.Operand)
                    {
                        case TypeReference t: yield return t; break;
                        case MemberReference member when member.DeclaringType is { } d:
                            yield return d;
                            if (member is MethodReference mr) { yield return mr.ReturnType; foreach (var p in mr.Parameters) yield return p.ParameterType; }
                            if (member is FieldReference fr) yield return fr.FieldType;
                            break;
                    }
            }
        }
        return Refs().SelectMany(Expand);
    }

    /// A type and the types inside it: generic arguments, array and by-ref element types.
    private static IEnumerable<TypeReference> Expand(TypeReference t)
    {
        switch (t)
        {
            case GenericInstanceType g:
                foreach (var x in Expand(g.ElementType)) yield return x;
                foreach (var a in g.GenericArguments) foreach (var x in Expand(a)) yield return x;
                break;
            case TypeSpecification s:
                foreach (var x in Expand(s.ElementType)) yield return x;
                break;
            case GenericParameter:
                break;
            default:
                yield return t;
                break;
        }
    }

    /// Tarjan's strongly connected components of the namespace graph.
    private static List<List<string>> StronglyConnected(Dictionary<(string From, string To), string> edges)
    {
        var next = edges.Keys.GroupBy(e => e.From).ToDictionary(g => g.Key, g => g.Select(e => e.To).ToList());
        var nodes = edges.Keys.SelectMany(e => new[] { e.From, e.To }).Distinct().Order().ToList();
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var result = new List<List<string>>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in next.GetValueOrDefault(v) ?? [])
            {
                if (!index.ContainsKey(w)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (onStack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v]) return;
            var component = new List<string>();
            string x;
            do { x = stack.Pop(); onStack.Remove(x); component.Add(x); } while (x != v);
            result.Add(component);
        }
        foreach (var n in nodes) if (!index.ContainsKey(n)) Visit(n);
        return result;
    }
}
