using Orleans;

namespace ShoppingCart.Grains;

/// <summary>The departments of the shop; each has one inventory grain (keyed by the category's name).</summary>
public enum ProductCategory
{
    Accessories,
    Hardware,
    Software,
    Books,
    Other,
}

/// <summary>A product and how many are in stock.</summary>
[GenerateSerializer, Immutable]
public sealed record class ProductDetails
{
    [Id(0)]
    public string Id { get; init; } = string.Empty;

    [Id(1)]
    public string Name { get; init; } = string.Empty;

    [Id(2)]
    public string Description { get; init; } = string.Empty;

    [Id(3)]
    public ProductCategory Category { get; init; }

    /// <summary>Units in stock (in a cart: units in the cart).</summary>
    [Id(4)]
    public int Quantity { get; init; }

    [Id(5)]
    public decimal UnitPrice { get; init; }

    /// <summary>Quantity times unit price, rounded to cents (not serialized: computed).</summary>
    public decimal TotalPrice => Math.Round(Quantity * UnitPrice, 2);
}

/// <summary>A line of a shopping cart.</summary>
[GenerateSerializer, Immutable]
public sealed record class CartItem(
    [property: Id(0)] string UserId,
    [property: Id(1)] int Quantity,
    [property: Id(2)] ProductDetails Product)
{
    /// <summary>Quantity times the product's unit price, rounded to cents.</summary>
    public decimal TotalPrice => Math.Round(Quantity * Product.UnitPrice, 2);
}

/// <summary>An inventory's durable state: the ids of the products it lists.</summary>
[GenerateSerializer]
public sealed class InventoryState
{
    [Id(0)]
    public HashSet<string> ProductIds { get; set; } = [];
}

/// <summary>A cart's durable state: its lines by product id.</summary>
[GenerateSerializer]
public sealed class CartState
{
    [Id(0)]
    public Dictionary<string, CartItem> Items { get; set; } = [];
}

/// <summary>The store the sample's grains keep their state in.</summary>
public static class ShopStorage
{
    /// <summary>The name the silo must configure a grain storage under.</summary>
    public const string Name = "shopping-cart";
}
