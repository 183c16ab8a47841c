using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Collections.ObjectModel;
using System.Numerics;

namespace Actors.Serialization;

/// <summary>
/// The stable numeric ids by which TypeSpecs name common types (see the wire format). An id, once published, never
/// changes meaning; new ids are only ever added.
/// </summary>
public static class WellKnownTypeIds
{
    /// <summary>The id of the grain reference marker (a value written by the grain reference codec).</summary>
    public const uint GrainReference = 31;

    /// <summary>The id of an exception written by name (the exception codec carries the real type inside).</summary>
    public const uint Exception = 28;

    private static readonly (uint Id, Type Type)[] Table =
    [
        (1, typeof(object)), (2, typeof(bool)), (3, typeof(byte)), (4, typeof(sbyte)), (5, typeof(short)), (6, typeof(ushort)),
        (7, typeof(int)), (8, typeof(uint)), (9, typeof(long)), (10, typeof(ulong)), (11, typeof(char)), (12, typeof(float)),
        (13, typeof(double)), (14, typeof(decimal)), (15, typeof(string)), (16, typeof(Guid)), (17, typeof(DateTime)),
        (18, typeof(DateTimeOffset)), (19, typeof(TimeSpan)), (20, typeof(DateOnly)), (21, typeof(TimeOnly)),
        (22, typeof(BigInteger)), (23, typeof(Int128)), (24, typeof(UInt128)), (25, typeof(Half)), (26, typeof(Uri)),
        (27, typeof(Version)), (Exception, typeof(Exception)), (29, typeof(nint)), (30, typeof(nuint)),
        (GrainReference, typeof(Hooks.GrainReferenceWireType)), (32, typeof(CancellationToken)), (33, typeof(ReadOnlyMemory<>)),
        (34, typeof(Memory<>)), (35, typeof(ValueTuple)), (36, typeof(DBNull)), (37, typeof(Type)),
        (40, typeof(Nullable<>)), (41, typeof(List<>)), (42, typeof(Dictionary<,>)), (43, typeof(HashSet<>)),
        (44, typeof(KeyValuePair<,>)), (45, typeof(Queue<>)), (46, typeof(Stack<>)), (47, typeof(SortedDictionary<,>)),
        (48, typeof(SortedSet<>)), (49, typeof(SortedList<,>)), (50, typeof(LinkedList<>)), (51, typeof(ConcurrentDictionary<,>)),
        (52, typeof(ReadOnlyCollection<>)), (53, typeof(ReadOnlyDictionary<,>)),
        (60, typeof(ImmutableArray<>)), (61, typeof(ImmutableList<>)), (62, typeof(ImmutableDictionary<,>)),
        (63, typeof(ImmutableHashSet<>)), (64, typeof(ImmutableSortedDictionary<,>)), (65, typeof(ImmutableSortedSet<>)),
        (66, typeof(ImmutableQueue<>)), (67, typeof(ImmutableStack<>)),
        (71, typeof(ValueTuple<>)), (72, typeof(ValueTuple<,>)), (73, typeof(ValueTuple<,,>)), (74, typeof(ValueTuple<,,,>)),
        (75, typeof(ValueTuple<,,,,>)), (76, typeof(ValueTuple<,,,,,>)), (77, typeof(ValueTuple<,,,,,,>)), (78, typeof(ValueTuple<,,,,,,,>)),
        (81, typeof(Tuple<>)), (82, typeof(Tuple<,>)), (83, typeof(Tuple<,,>)), (84, typeof(Tuple<,,,>)),
        (85, typeof(Tuple<,,,,>)), (86, typeof(Tuple<,,,,,>)), (87, typeof(Tuple<,,,,,,>)), (88, typeof(Tuple<,,,,,,,>)),
    ];

    private static readonly Dictionary<Type, uint> IdsByType = Table.ToDictionary(e => e.Type, e => e.Id);
    private static readonly Dictionary<uint, Type> TypesById = Table.ToDictionary(e => e.Id, e => e.Type);

    /// <summary>Returns the well-known id of a type or generic type definition, or 0.</summary>
    public static uint GetId(Type type) => IdsByType.GetValueOrDefault(type);

    /// <summary>Returns the type (or generic type definition) of a well-known id.</summary>
    public static bool TryGetType(uint id, out Type type) => TypesById.TryGetValue(id, out type!);
}
