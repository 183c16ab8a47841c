using Orleans;
using Orleans.Runtime;

namespace ShoppingCart.Grains;

/// <summary>A shopper's cart: its lines in persistent state; stock moves between the product grains and the cart.</summary>
public sealed class ShoppingCartGrain(
    [PersistentState("cart", ShopStorage.Name)] IPersistentState<CartState> cart) : Grain, IShoppingCartGrain
{
    public async Task<bool> AddOrUpdateItemAsync(int quantity, ProductDetails product)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quantity);
        ArgumentNullException.ThrowIfNull(product);
        IProductGrain productGrain = GrainFactory.GetGrain<IProductGrain>(product.Id);
        int inCart = cart.State.Items.TryGetValue(product.Id, out CartItem? existing) ? existing.Quantity : 0;
        ProductDetails current = product;
        if (quantity > inCart)
        {
            (bool isAvailable, ProductDetails? taken) = await productGrain.TryTakeProductAsync(quantity - inCart);
            if (!isAvailable || taken is null)
            {
                return false;
            }

            current = taken;
        }
        else if (quantity < inCart)
        {
            await productGrain.ReturnProductAsync(inCart - quantity);
        }

        cart.State.Items[product.Id] = new CartItem(this.GetPrimaryKeyString(), quantity, current with { Quantity = quantity });
        await cart.WriteStateAsync();
        return true;
    }

    public async Task RemoveItemAsync(ProductDetails product)
    {
        ArgumentNullException.ThrowIfNull(product);
        if (cart.State.Items.Remove(product.Id, out CartItem? removed))
        {
            await cart.WriteStateAsync();
            await GrainFactory.GetGrain<IProductGrain>(product.Id).ReturnProductAsync(removed.Quantity);
        }
    }

    public Task<HashSet<CartItem>> GetAllItemsAsync() => Task.FromResult(cart.State.Items.Values.ToHashSet());

    public Task<int> GetTotalItemsInCartAsync() => Task.FromResult(cart.State.Items.Count);

    public async Task EmptyCartAsync()
    {
        CartItem[] items = [.. cart.State.Items.Values];
        cart.State.Items.Clear();
        await cart.WriteStateAsync();
        await Task.WhenAll(items.Select(item => GrainFactory.GetGrain<IProductGrain>(item.Product.Id).ReturnProductAsync(item.Quantity)));
    }
}
