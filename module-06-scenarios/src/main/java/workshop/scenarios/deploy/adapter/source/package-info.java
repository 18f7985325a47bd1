/** The slow source the cache warms from, simulated: a fixed number of items at a fixed cost each. */
package workshop.scenarios.deploy.adapter.source;
