using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Collections.ObjectModel;

namespace Actors.Serialization.Tests;

public class CollectionTests
{
    [Fact]
    public void Arrays_RoundTrip()
    {
        Assert.Equal([1, 2, 3], Wire.RoundTrip(new[] { 1, 2, 3 }));
        Assert.Equal(new[] { "a", null, "c" }, Wire.RoundTrip(new[] { "a", null, "c" }));
        Assert.Empty(Wire.RoundTrip(Array.Empty<long>()));
        int[][] jagged = [[1], [], [2, 3]];
        Assert.Equal(jagged, Wire.RoundTrip(jagged));
    }

    [Fact]
    public void MultiDimensionalArray_RoundTrips()
    {
        var grid = new int[2, 3] { { 1, 2, 3 }, { 4, 5, 6 } };

        int[,] copy = Wire.RoundTrip(grid);

        Assert.Equal(grid, copy);
        Assert.Equal(3, copy.GetLength(1));
        Assert.Equal(grid, Wire.RoundTripAsObject(grid));
    }

    [Fact]
    public void List_RoundTrips()
    {
        Assert.Equal(["x", "y"], Wire.RoundTrip(new List<string> { "x", "y" }));
        Assert.Equal([new Model.Point(1, 2)], Wire.RoundTrip(new List<Model.Point> { new(1, 2) }));
    }

    [Fact]
    public void Dictionary_KeepsItsComparer()
    {
        var map = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase) { ["One"] = 1, ["two"] = 2 };

        Dictionary<string, int> copy = Wire.RoundTrip(map);

        Assert.Equal(1, copy["ONE"]);
        Assert.Same(StringComparer.OrdinalIgnoreCase, copy.Comparer);
        Assert.Same(EqualityComparer<string>.Default, Wire.RoundTrip(new Dictionary<string, int>()).Comparer);
    }

    [Fact]
    public void HashSet_KeepsItsComparer()
    {
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "a", "B" };

        HashSet<string> copy = Wire.RoundTrip(set);

        Assert.True(copy.SetEquals(["A", "b"]));
        Assert.Same(StringComparer.OrdinalIgnoreCase, copy.Comparer);
    }

    [Fact]
    public void OtherCollections_RoundTrip_InOrder()
    {
        Assert.Equal([1, 2, 3], Wire.RoundTrip(new Queue<int>([1, 2, 3])));
        var stack = new Stack<int>([1, 2, 3]);
        Assert.Equal(stack.ToArray(), Wire.RoundTrip(stack).ToArray());
        Assert.Equal([1, 5, 9], Wire.RoundTrip(new SortedSet<int>([9, 1, 5])));
        Assert.Equal(["a", "b"], Wire.RoundTrip(new LinkedList<string>(["a", "b"])));
        Assert.Equal([3, 4], Wire.RoundTrip(new ReadOnlyCollection<int>([3, 4])));
        var sorted = new SortedDictionary<string, int>(StringComparer.Ordinal) { ["b"] = 2, ["a"] = 1 };
        Assert.Equal(sorted, Wire.RoundTrip(sorted));
        Assert.Equal(sorted.ToList(), Wire.RoundTrip(new SortedList<string, int>(sorted)).ToList());
        var concurrent = new ConcurrentDictionary<int, string>([new(1, "x")]);
        Assert.Equal("x", Wire.RoundTrip(concurrent)[1]);
        var readOnly = new ReadOnlyDictionary<string, int>(new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase) { ["k"] = 1 });
        Assert.Equal(1, Wire.RoundTrip(readOnly)["K"]);
    }

    [Fact]
    public void CollectionExpressionForAnInterface_CompilerSynthesizedList_RoundTripsAndCopiesAsReadOnlyCollection()
    {
        IReadOnlyList<int> many = [1, 2, 3];
        IReadOnlyList<string> one = ["only"];
        IEnumerable<List<int>> nested = [[4], [5, 6]];
        Assert.Null(many.GetType().Namespace); // what the compiler builds for these: no type another process could name

        Assert.Equal([1, 2, 3], Assert.IsType<ReadOnlyCollection<int>>(Wire.RoundTrip(many)));
        Assert.Equal(["only"], Wire.RoundTrip(one));
        Assert.Equal([1, 2, 3], Assert.IsType<ReadOnlyCollection<int>>(Wire.RoundTripAsObject(many)));

        var copy = Assert.IsType<ReadOnlyCollection<List<int>>>(Wire.Copier.Copy(nested));
        Assert.Equal(nested, copy);
        Assert.NotSame(nested.First(), copy[0]);
    }

    [Fact]
    public void ImmutableCollections_RoundTrip()
    {
        Assert.Equal(new[] { 1, 2 }, Wire.RoundTrip(ImmutableArray.Create(1, 2)).ToArray());
        Assert.True(Wire.RoundTrip(default(ImmutableArray<int>)).IsDefault);
        Assert.Equal(["a"], Wire.RoundTrip(ImmutableList.Create("a")));
        ImmutableHashSet<string> set = Wire.RoundTrip(ImmutableHashSet.Create(StringComparer.OrdinalIgnoreCase, "a"));
        Assert.Contains("A", set);
        Assert.Equal([1, 2], Wire.RoundTrip(ImmutableSortedSet.Create(2, 1)));
        Assert.Equal([1, 2], Wire.RoundTrip(ImmutableQueue.Create(1, 2)));
        Assert.Equal(ImmutableStack.Create(1, 2), Wire.RoundTrip(ImmutableStack.Create(1, 2)));
        Assert.Equal(2, Wire.RoundTrip(ImmutableDictionary.Create<string, int>().Add("b", 2))["b"]);
        Assert.Equal(["a", "b"], Wire.RoundTrip(ImmutableSortedDictionary.Create<string, int>().Add("b", 2).Add("a", 1)).Keys);
    }

    [Fact]
    public void ImmutableDictionary_WithCustomValueComparer_IsRefused()
    {
        var map = ImmutableDictionary.Create<string, string>(StringComparer.Ordinal, StringComparer.OrdinalIgnoreCase).Add("a", "b");

        Assert.Throws<SerializerException>(() => Wire.Serializer.SerializeToArray(map));
    }

    [Fact]
    public void Tuples_KeepEveryItem()
    {
        // The ValueTuple that System.Text.Json emptied over the gateway (issue 10).
        (bool, Model.Money?) result = Wire.RoundTrip((true, (Model.Money?)new Model.Money(3m, "USD")));
        Assert.True(result.Item1);
        Assert.Equal(new Model.Money(3m, "USD"), result.Item2);

        var nine = (1, "2", 3L, 4.0, 'c', (byte)6, 7u, 8m, Guid.Empty);
        Assert.Equal(nine, Wire.RoundTrip(nine));
        Assert.Equal(ValueTuple.Create(5), Wire.RoundTrip(ValueTuple.Create(5)));
        Assert.Equal(Tuple.Create(1, "x"), Wire.RoundTrip(Tuple.Create(1, "x")));
        var longTuple = Tuple.Create(1, 2, 3, 4, 5, 6, 7, 8);
        Assert.Equal(longTuple, Wire.RoundTrip(longTuple));
        Assert.Equal(new KeyValuePair<string, int>("k", 1), Wire.RoundTrip(new KeyValuePair<string, int>("k", 1)));
        Assert.Equal((1, "x"), Wire.RoundTripAsObject((1, "x")));
    }

    [Fact]
    public void NestedGenerics_RoundTrip()
    {
        var value = new Dictionary<string, List<(int, Model.Color)>> { ["a"] = [(1, Model.Color.Red)], ["b"] = [] };

        Dictionary<string, List<(int, Model.Color)>> copy = Wire.RoundTrip(value);

        Assert.Equal(value["a"], copy["a"]);
        Assert.Empty(copy["b"]);
    }

    [Fact]
    public void CollectionsAsObject_KeepTheirTypes()
    {
        object?[] values = [new List<int> { 1 }, new Dictionary<int, string> { [1] = "a" }, new HashSet<Guid>(), ImmutableArray.Create("x")];

        foreach (object? value in values)
        {
            Assert.IsType(value!.GetType(), Wire.RoundTripAsObject(value));
        }
    }
}
