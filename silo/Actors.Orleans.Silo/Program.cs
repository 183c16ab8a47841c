using Actors.Orleans.Silo.Hosting;

WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddActorsOrleansSilo();
WebApplication app = builder.Build();
app.MapActorsOrleansSilo();
return await app.RunActorsOrleansSiloAsync();
