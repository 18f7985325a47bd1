/** The job processor's measurements: what a commit of the embedded database survives (kill -9), and at what rate. */
package workshop.scenarios.jobs.lab;
