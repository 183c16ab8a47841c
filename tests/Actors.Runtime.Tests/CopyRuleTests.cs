using Actors.Hosting;
using Actors.Runtime.Tests.Grains;
using Actors.Runtime.Tests.Infrastructure;

namespace Actors.Runtime.Tests;

public sealed class CopyRuleTests
{
    [Theory]
    [InlineData(typeof(string), true)]
    [InlineData(typeof(int), true)]
    [InlineData(typeof(Guid), true)]
    [InlineData(typeof(GrainId), true)]
    [InlineData(typeof(Money), true)]
    [InlineData(typeof(int?), true)]
    [InlineData(typeof(System.Collections.Immutable.ImmutableArray<string>), true)]
    [InlineData(typeof(Basket), false)]
    [InlineData(typeof(int[]), false)]
    [InlineData(typeof(List<int>), false)]
    [InlineData(typeof(object), false)]
    public void IsImmutable_Type_MatchesCopyRule(Type type, bool expected) => Assert.Equal(expected, CallCopier.IsImmutable(type));

    [Fact]
    public async Task Call_MutableArgumentAndResult_AreCopiedBothWays()
    {
        await using TestSilo silo = TestSilo.Start(s => s.AddGrain<ValueGrain>());
        IValueGrain grain = silo.Factory.GetGrain<IValueGrain>(1);
        var mine = new Basket { Items = ["a"] };

        Basket returned = await grain.AddAndReturn(mine, "b");
        returned.Items.Add("mutated by caller");

        Assert.Equal(["a"], mine.Items);
        Assert.NotSame(mine, returned);
        Assert.Equal(["a", "b"], (await grain.Stored()).Items);
    }

    [Fact]
    public async Task Call_ImmutableRecordArgument_PassedByReference()
    {
        await using TestSilo silo = TestSilo.Start(s => s.AddGrain<ValueGrain>());
        var money = new Money(10m, "EUR");

        Assert.Same(money, await silo.Factory.GetGrain<IValueGrain>(2).Echo(money));
    }
}
