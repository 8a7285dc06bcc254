using BoundaryGuard.Service.Addin;
using BoundaryGuard.Service.Auth;
using BoundaryGuard.Service.Calendars;
using BoundaryGuard.Service.Health;
using BoundaryGuard.Service.Holds;
using BoundaryGuard.Service.Hosting;
using BoundaryGuard.Service.Policies;
using BoundaryGuard.Service.Scheduling;
using BoundaryGuard.Service.Scorecards;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceClock();
builder.AddDemoHistory();
builder.AddGraphGateway();
builder.Services.AddBoundaryPolicies();
builder.AddHoldScheduling();
builder.Services.AddHolds();
builder.Services.AddCalendars();
builder.Services.AddScorecards();
builder.AddServiceAuth();
builder.Services.AddServiceHealth();
builder.Services.AddAddinFiles();
builder.Services.AddAddinCors();
builder.Services.AddScorecardPages();
builder.Services.AddAdminPages();
builder.Services.AddOpenApi();
builder.Services.AddStartupBanner();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAddinCompression();
app.UseAddinCors();
app.UseAuthentication();
app.UseAuthorization();
app.MapServiceHealth();
app.MapOpenApi();
app.MapHoldsApi();
app.MapScorecardsApi();
app.MapCalendarsApi();
app.MapAddinFiles();
app.MapSignIn();
app.MapScorecardPages();
app.MapAdminPages();

app.Run();

// Visible to WebApplicationFactory<Program> in the tests.
public partial class Program;
