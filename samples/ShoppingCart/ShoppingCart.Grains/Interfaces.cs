using Orleans;

namespace ShoppingCart.Grains;

/// <summary>A product of the shop (keyed by product id): its details and stock.</summary>
public interface IProductGrain : IGrainWithStringKey
{
    /// <summary>
    /// Takes <paramref name="quantity"/> units out of stock when that many are available; returns whether it did and
    /// the product as it now stands.
    /// </summary>
    Task<(bool IsAvailable, ProductDetails? ProductDetails)> TryTakeProductAsync(int quantity);

    /// <summary>Puts <paramref name="quantity"/> units back into stock.</summary>
    Task ReturnProductAsync(int quantity);

    /// <summary>Units in stock.</summary>
    Task<int> GetProductAvailabilityAsync();

    /// <summary>Creates or replaces the product and lists it in its category's inventory.</summary>
    Task CreateOrUpdateProductAsync(ProductDetails productDetails);

    /// <summary>The product (an empty record when it was never created).</summary>
    Task<ProductDetails> GetProductDetailsAsync();
}

/// <summary>The products of one category (keyed by the <see cref="ProductCategory"/> name).</summary>
public interface IInventoryGrain : IGrainWithStringKey
{
    /// <summary>Every product listed, with its current stock.</summary>
    Task<HashSet<ProductDetails>> GetAllProductsAsync();

    /// <summary>Lists the product (again).</summary>
    Task AddOrUpdateProductAsync(ProductDetails productDetails);

    /// <summary>Stops listing the product.</summary>
    Task RemoveProductAsync(string productId);
}

/// <summary>One shopper's cart (keyed by user id).</summary>
public interface IShoppingCartGrain : IGrainWithStringKey
{
    /// <summary>
    /// Sets the cart's quantity of <paramref name="product"/> to <paramref name="quantity"/>, taking the difference from
    /// stock or returning it; false (and nothing changed) when stock is short.
    /// </summary>
    Task<bool> AddOrUpdateItemAsync(int quantity, ProductDetails product);

    /// <summary>Removes the product's line and returns its units to stock.</summary>
    Task RemoveItemAsync(ProductDetails product);

    /// <summary>The cart's lines.</summary>
    Task<HashSet<CartItem>> GetAllItemsAsync();

    /// <summary>The number of lines in the cart.</summary>
    Task<int> GetTotalItemsInCartAsync();

    /// <summary>Removes every line and returns the units to stock.</summary>
    Task EmptyCartAsync();
}
