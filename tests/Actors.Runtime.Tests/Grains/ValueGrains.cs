namespace Actors.Runtime.Tests.Grains;

[GenerateSerializer, Alias("tests.runtime.basket")]
public sealed class Basket
{
    [Id(0)]
    public List<string> Items { get; set; } = [];
}

[GenerateSerializer, Alias("tests.runtime.money")]
public sealed record Money(decimal Amount, string Currency);

public interface IValueGrain : IGrainWithIntegerKey
{
    Task<Basket> AddAndReturn(Basket basket, string item);

    Task<Basket> Stored();

    Task<Money> Echo(Money money);

    Task<long> Key();
}

public sealed class ValueGrain : Grain, IValueGrain
{
    private Basket _stored = new();

    public Task<Basket> AddAndReturn(Basket basket, string item)
    {
        basket.Items.Add(item);
        _stored = basket;
        return Task.FromResult(basket);
    }

    public Task<Basket> Stored() => Task.FromResult(_stored);

    public Task<Money> Echo(Money money) => Task.FromResult(money);

    public Task<long> Key() => Task.FromResult(GetPrimaryKeyLong());
}

public interface IAccount : IGrainWithGuidKey
{
    Task<Guid> Id();
}

/// <summary>Named unlike its interface, so client-side references must be resolved by the silo.</summary>
[GrainType("bank-account")]
public sealed class BankAccountGrain : Grain, IAccount
{
    public Task<Guid> Id() => Task.FromResult(GetPrimaryKey());
}
