using Actors.Serialization.Tests.Model;

namespace Actors.Serialization.Tests;

public class ReferenceTests
{
    [Fact]
    public void SharedReferences_StayShared()
    {
        var money = new Money(1m, "X");
        var list = new List<object> { money, money, "s" };

        List<object> copy = Wire.RoundTrip(list);

        Assert.Same(copy[0], copy[1]);
        Assert.Equal(money, copy[0]);
    }

    [Fact]
    public void Cycles_AreRestored()
    {
        var root = new Node { Name = "root" };
        var child = new Node { Name = "child", Parent = root };
        root.Children.Add(child);
        root.Parent = root;

        Node copy = Wire.RoundTrip(root);

        Assert.Same(copy, copy.Parent);
        Assert.Same(copy, copy.Children[0].Parent);
        Assert.Equal("child", copy.Children[0].Name);
    }

    [Fact]
    public void CollectionContainingItself_IsRestored()
    {
        var list = new List<object>();
        list.Add(list);

        List<object> copy = Wire.RoundTrip(list);

        Assert.Same(copy, copy[0]);
    }

    [Fact]
    public void CycleThroughAValueBuiltAfterItsContents_IsATypedError()
    {
        // A tuple is built only after its items are read, so an item that refers back to the tuple cannot be resolved.
        var box = new Box<object>();
        Tuple<object> tuple = Tuple.Create<object>(box);
        box.Value = tuple;

        byte[] bytes = Wire.Serializer.SerializeToArray<object>(tuple);

        Assert.Throws<ReferenceNotFoundException>(() => Wire.Serializer.Deserialize<object>(bytes));
    }

    [Fact]
    public void DeepNesting_BeyondMaxDepth_IsATypedError()
    {
        var serializer = new Serializer(new SerializerBuilder { MaxDepth = 50 }.Build());
        var node = new Node();
        for (int i = 0; i < 100; i++)
        {
            node = new Node { Children = [node] };
        }

        Assert.Throws<MaxDepthExceededException>(() => serializer.SerializeToArray(node));
        byte[] bytes = Wire.Serializer.SerializeToArray(node);
        Assert.Throws<MaxDepthExceededException>(() => serializer.Deserialize<Node>(bytes));
        Assert.Equal(Wire.Hex(bytes), Wire.Hex(Wire.Serializer.SerializeToArray(Wire.RoundTrip(node))));
    }
}
