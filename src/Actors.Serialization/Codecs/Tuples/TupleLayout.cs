using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;

namespace Actors.Serialization.Codecs;

/// <summary>
/// The items of a <see cref="ValueTuple"/> or <see cref="Tuple"/> type in order, with tuples of more than seven items
/// flattened through their <c>Rest</c> (as <see cref="System.Runtime.CompilerServices.ITuple"/> presents them), and a
/// compiled factory that builds the tuple from its items.
/// </summary>
internal sealed class TupleLayout
{
    /// <summary>The most items a tuple may have (ITuple flattens nested Rest tuples).</summary>
    public const int MaxItems = 64;

    private static readonly ConcurrentDictionary<Type, TupleLayout> Layouts = new();

    private TupleLayout(Type[] items, Func<object?[], object> create)
    {
        Items = items;
        Create = create;
    }

    /// <summary>The item types, flattened.</summary>
    public Type[] Items { get; }

    /// <summary>Builds the tuple from its flattened items.</summary>
    public Func<object?[], object> Create { get; }

    /// <summary>Whether <paramref name="type"/> is a ValueTuple or Tuple type this layout supports.</summary>
    public static bool IsTuple(Type type) =>
        type.IsConstructedGenericType && type.Namespace == "System"
        && (type.Name.StartsWith("ValueTuple`", StringComparison.Ordinal) || type.Name.StartsWith("Tuple`", StringComparison.Ordinal));

    /// <exception cref="CodecNotFoundException">An eighth argument (Rest) that is not itself a tuple of the same kind.</exception>
    public static TupleLayout Of(Type tuple) => Layouts.TryGetValue(tuple, out TupleLayout? layout) ? layout : Layouts.GetOrAdd(tuple, Compile(tuple));

    private static TupleLayout Compile(Type tuple)
    {
        var items = new List<Type>();
        ParameterExpression values = Expression.Parameter(typeof(object?[]), "items");
        Expression body = Build(tuple, items, values, tuple);
        if (items.Count > MaxItems)
        {
            throw new CodecNotFoundException(tuple);
        }

        var create = Expression.Lambda<Func<object?[], object>>(Expression.Convert(body, typeof(object)), values).Compile();
        return new TupleLayout([.. items], create);
    }

    private static NewExpression Build(Type tuple, List<Type> items, ParameterExpression values, Type root)
    {
        Type[] arguments = tuple.GenericTypeArguments;
        var parts = new List<Expression>(arguments.Length);
        for (int i = 0; i < arguments.Length; i++)
        {
            if (i == 7)
            {
                if (!IsTuple(arguments[i]) || arguments[i].GetGenericTypeDefinition().Name[..^2] != tuple.GetGenericTypeDefinition().Name[..^2])
                {
                    throw new CodecNotFoundException(root);
                }

                parts.Add(Build(arguments[i], items, values, root));
                continue;
            }

            parts.Add(Expression.Convert(Expression.ArrayIndex(values, Expression.Constant(items.Count)), arguments[i]));
            items.Add(arguments[i]);
        }

        ConstructorInfo constructor = tuple.GetConstructor(arguments) ?? throw new CodecNotFoundException(root);
        return Expression.New(constructor, parts);
    }
}
