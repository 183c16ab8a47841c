using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace ShoppingCart.Grains;

/// <summary>
/// The products of one category: their ids in persistent state; their details (with current stock) asked of the
/// product grains when listed.
/// </summary>
[Reentrant]
public sealed class InventoryGrain(
    [PersistentState("inventory", ShopStorage.Name)] IPersistentState<InventoryState> state) : Grain, IInventoryGrain
{
    public async Task<HashSet<ProductDetails>> GetAllProductsAsync()
    {
        ProductDetails[] products = await Task.WhenAll(
            state.State.ProductIds.Select(id => GrainFactory.GetGrain<IProductGrain>(id).GetProductDetailsAsync()));
        return [.. products];
    }

    public async Task AddOrUpdateProductAsync(ProductDetails productDetails)
    {
        ArgumentNullException.ThrowIfNull(productDetails);
        if (state.State.ProductIds.Add(productDetails.Id))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveProductAsync(string productId)
    {
        if (state.State.ProductIds.Remove(productId))
        {
            await state.WriteStateAsync();
        }
    }
}
